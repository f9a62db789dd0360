"""Reads of donations: the scoped lists and details, the public disclosure (捐赠公示) and the
command's figures. Every internal read starts from `for_user`; the public one starts from the
district's subtree and never reads a personal field."""

import datetime
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from fangkong.core.models import Area
from fangkong.core.numbers import plain
from fangkong.core.scope import ancestor_codes, scope_filter
from fangkong.donations.models import (
    ZERO,
    Channel,
    Designation,
    Disbursement,
    Donation,
    DonationLine,
    Donor,
    public_name,
)
from fangkong.donations.services import SOURCE_TYPE

VIEW_DONOR = "donations.view_donor"
VIEW = "donations.view_donation"
ADD_DONOR = "donations.add_donor"
CHANGE_DONOR = "donations.change_donor"
ADD = "donations.add_donation"
CHANGE = "donations.change_donation"
DISBURSE = "donations.add_disbursement"
EXPORT = "donations.export_donations"
IMPORT = "donations.import_donations"
WAREHOUSE = "supplies.view_warehouse"


def _money(value) -> Decimal:
    return (value or ZERO).quantize(Decimal("0.01"))


# -- donors ---------------------------------------------------------------------------------


def donor_queryset(*, user) -> QuerySet:
    if not user.has_perm(VIEW_DONOR):
        return Donor.objects.none()
    return Donor.objects.for_user(user)


def donor_list(*, user, kind: str = "", q: str = "") -> QuerySet:
    donors = donor_queryset(user=user)
    if kind:
        donors = donors.filter(kind=kind)
    if q:
        donors = donors.filter(Q(name__contains=q) | Q(credit_code__startswith=q.upper()))
    return donors.annotate(
        donation_count=Count("donations"),
        money_total=Coalesce(Sum("donations__amount"), ZERO),
    ).order_by("name", "id")


def donor_choices(*, user, area: Area | None = None) -> QuerySet:
    """Donors a donation received by `area` may name: in the user's scope, registered by the
    receiving unit or a unit above it."""
    donors = donor_queryset(user=user)
    if area is not None:
        donors = donors.filter(area_id__in=ancestor_codes(area.code))
    return donors.order_by("name", "id")


# -- donations ------------------------------------------------------------------------------


def donation_queryset(*, user) -> QuerySet:
    if not user.has_perm(VIEW):
        return Donation.objects.none()
    return Donation.objects.for_user(user)


def donation_list(
    *,
    user,
    q: str = "",
    kind: str = "",
    part: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet:
    """`q` searches the donor's name and the number; `kind` the donor's kind; `part` is
    "money" or "goods" for donations with that part."""
    donations = donation_queryset(user=user)
    if q:
        donations = donations.filter(Q(donor__name__contains=q) | Q(number__contains=q))
    if kind:
        donations = donations.filter(donor__kind=kind)
    if part == "money":
        donations = donations.filter(amount__gt=0)
    elif part == "goods":
        donations = donations.filter(goods_lines__gt=0)
    if date_from:
        donations = donations.filter(received_on__gte=date_from)
    if date_to:
        donations = donations.filter(received_on__lte=date_to)
    return donations.select_related("donor", "area").order_by("-received_on", "-id")


def lines_of(donation: Donation) -> list[DonationLine]:
    return list(donation.lines.select_related("item", "item__category").order_by("id"))


def disbursements_of(donation: Donation) -> list[Disbursement]:
    return list(donation.disbursements.order_by("paid_on", "id"))


def receiving_areas(*, user) -> QuerySet:
    """Districts and towns of the user's scope that receive donations."""
    return (
        Area.objects.for_user(user)
        .filter(level__in=[Area.Level.COUNTY, Area.Level.TOWN])
        .order_by("code")
    )


def warehouses_for(*, user, donation: Donation):
    """Warehouses the user may put this donation's goods into: in the user's scope, at the
    receiving unit, below it or above it."""
    from fangkong.supplies.models import Warehouse

    if not user.has_perm(WAREHOUSE):
        return Warehouse.objects.none()
    code = donation.area_id
    return (
        Warehouse.objects.for_user(user)
        .filter(active=True)
        .filter(Q(area_id__in=ancestor_codes(code)) | scope_filter("area", code))
        .order_by("area_id", "name")
    )


def destinations(donation_ids: list[int]) -> list[dict]:
    """Where the donated goods of these donations went, from the supplies ledger."""
    if not donation_ids:
        return []
    from fangkong.supplies import selectors as supplies_selectors

    return supplies_selectors.donated_destinations(
        source_type=SOURCE_TYPE, source_ids=[str(pk) for pk in donation_ids]
    )


# -- the public disclosure ------------------------------------------------------------------


def public_district(code: str) -> Area | None:
    """The district (or town) a public page is asked for, by its code."""
    if not code.isdigit():
        return None
    return (
        Area.objects.filter(code=code, level__in=[Area.Level.COUNTY, Area.Level.TOWN])
        .only("code", "name", "level")
        .first()
    )


def public_disclosure(area: Area, *, page=None, per_page: int | None = None) -> dict:
    """Everything the public page and its workbook show, as plain values: no donor's contact,
    phone, address, credit code or the name of a person who did not consent.

    The totals cover every donation of the area and are summed by the database; `donations`
    holds every row, or with `per_page` the rows of `page` (a number, clamped like
    Paginator.get_page; the Page is `page` of the result), so a page of the table costs the
    same whatever the district received. A fixed number of queries.
    """
    donations = Donation.objects.within(area)
    totals = donations.aggregate(
        count=Count("pk"), received=Sum("amount"), value=Sum("goods_value")
    )
    channels = dict(Channel.choices)
    designations = dict(Designation.choices)
    by_channel = [
        (str(channels.get(row["channel"], row["channel"])), _money(row["total"]))
        for row in donations.filter(amount__gt=0)
        .values("channel")
        .annotate(total=Sum("amount"))
        .order_by("-total", "channel")
    ]
    by_designation = [
        (str(designations.get(row["designation"], row["designation"])), _money(row["total"]))
        for row in donations.filter(amount__gt=0)
        .values("designation")
        .annotate(total=Sum("amount"))
        .order_by("-total", "designation")
    ]
    items = [
        {
            "item_id": row["item_id"],
            "category": row["item__category__name"],
            "name": row["item__name"],
            "specification": row["item__specification"],
            "unit": row["item__unit"],
            "quantity": row["quantity"],
            "value": _money(row["value"]),
            "lines": row["lines"],
        }
        for row in DonationLine.objects.within(area)
        .values(
            "item_id",
            "item__name",
            "item__specification",
            "item__unit",
            "item__category__name",
        )
        .annotate(quantity=Sum("quantity"), value=Sum("value"), lines=Count("pk"))
        .order_by("item__category__name", "item__name", "item__specification")
    ]
    categories: dict[str, dict] = {}
    for item in items:
        category = categories.setdefault(
            item["category"], {"name": item["category"], "lines": 0, "value": ZERO}
        )
        category["lines"] += item["lines"]
        category["value"] += item["value"]
    disbursements = list(
        Disbursement.objects.within(area)
        .order_by("-paid_on", "-id")
        .values("paid_on", "amount", "purpose", "donation__number", "area__name")
    )
    received = totals["received"] or ZERO
    used = sum((d["amount"] for d in disbursements), ZERO)
    in_stock = list(donations.filter(goods_received_at__isnull=False).values_list("pk", flat=True))
    shown = None
    offset, limit = 0, None
    if per_page:
        shown = Paginator(range(totals["count"]), per_page).get_page(page)
        offset, limit = shown.start_index() - 1 if totals["count"] else 0, per_page
    return {
        "area": {"code": area.code, "name": area.name},
        "page": shown,
        "donations": _public_rows(donations, offset, limit),
        "donation_count": totals["count"],
        "money": {
            "received": _money(received),
            "used": _money(used),
            "balance": _money(received - used),
            "by_channel": by_channel,
            "by_designation": by_designation,
        },
        "goods": {
            "value": _money(totals["value"]),
            "items": items,
            "categories": sorted(categories.values(), key=lambda c: c["name"]),
        },
        "disbursements": [
            {
                "paid_on": d["paid_on"],
                "amount": d["amount"],
                "purpose": d["purpose"],
                "donation": d["donation__number"],
                "unit": d["area__name"],
            }
            for d in disbursements
        ],
        "destinations": _public_destinations(in_stock),
    }


def _public_rows(donations: QuerySet, offset: int, limit: int | None) -> list[dict]:
    window = donations.order_by("-received_on", "-id").values(
        "pk",
        "number",
        "received_on",
        "area__name",
        "amount",
        "channel",
        "designation",
        "purpose",
        "goods_value",
        "donor__kind",
        "donor__name",
        "donor__anonymous",
        "donor__disclose_name",
    )
    rows = list(window[offset : offset + limit] if limit is not None else window[offset:])
    goods_of: dict[int, list[str]] = {}
    lines = (
        DonationLine.objects.filter(donation_id__in=[d["pk"] for d in rows])
        .order_by("donation_id", "id")
        .values("donation_id", "item__name", "item__unit", "quantity")
    )
    for line in lines if rows else []:
        goods_of.setdefault(line["donation_id"], []).append(
            f"{line['item__name']}{plain(line['quantity'])}{line['item__unit']}"
        )
    channels = dict(Channel.choices)
    designations = dict(Designation.choices)
    return [
        {
            "number": d["number"],
            "received_on": d["received_on"],
            "unit": d["area__name"],
            "donor": public_name(
                d["donor__kind"], d["donor__name"], d["donor__anonymous"], d["donor__disclose_name"]
            ),
            "amount": d["amount"],
            "channel": str(channels.get(d["channel"], "")) if d["amount"] else "",
            "designation": str(designations.get(d["designation"], "")),
            "purpose": d["purpose"],
            "goods": "、".join(goods_of.get(d["pk"], [])),
            "goods_value": d["goods_value"],
        }
        for d in rows
    ]


def _public_destinations(donation_ids: list[int]) -> list[dict]:
    """Donated goods per destination unit and item (no person is a destination)."""
    merged: dict[tuple, dict] = {}
    for row in destinations(donation_ids):
        if not row.get("issued"):
            continue
        key = (row.get("destination_name") or "", row["item_id"])
        entry = merged.setdefault(
            key,
            {
                "destination": row.get("destination_name") or "",
                "item": row["item_name"],
                "unit": row["unit"],
                "quantity": ZERO,
            },
        )
        entry["quantity"] += Decimal(str(row["issued"]))
    return sorted(merged.values(), key=lambda e: (e["destination"], e["item"]))


# -- the command's figures ------------------------------------------------------------------


def command_figures(*, area_code: str, date_from: datetime.date, date_to: datetime.date) -> dict:
    """Donation figures of the subtree of `area_code`, in four queries; money as strings of
    yuan with two decimals (exact through JSON). Keys in docs/donations.md."""
    if date_from > date_to:
        raise ValueError("date_from is after date_to")
    in_range = Q(received_on__gte=date_from, received_on__lte=date_to)
    to_date = Q(received_on__lte=date_to)
    donations = Donation.objects.within(area_code).aggregate(
        count=Count("pk", filter=in_range),
        count_to_date=Count("pk", filter=to_date),
        money_sum=Sum("amount", filter=in_range),
        money_sum_to_date=Sum("amount", filter=to_date),
        value=Sum("goods_value", filter=in_range),
        value_to_date=Sum("goods_value", filter=to_date),
    )
    line_range = Q(donation__received_on__gte=date_from, donation__received_on__lte=date_to)
    lines = DonationLine.objects.within(area_code).aggregate(
        items=Count("item", filter=line_range, distinct=True),
        items_to_date=Count("item", filter=Q(donation__received_on__lte=date_to), distinct=True),
        received=Count("pk", filter=line_range & Q(donation__goods_received_at__isnull=False)),
    )
    donors = dict.fromkeys(Donor.Kind.values, 0)
    for kind, count in (
        Donation.objects.within(area_code)
        .filter(to_date)
        .values("donor__kind")
        .annotate(n=Count("donor", distinct=True))
        .values_list("donor__kind", "n")
        .order_by()
    ):
        donors[kind] = count
    used = (
        Disbursement.objects.within(area_code)
        .filter(paid_on__lte=date_to)
        .aggregate(
            to_date=Sum("amount"),
            in_range=Sum("amount", filter=Q(paid_on__gte=date_from)),
        )
    )
    money_to_date = _money(donations["money_sum_to_date"])
    used_to_date = _money(used["to_date"])
    return {
        "donations": donations["count"],
        "donations_to_date": donations["count_to_date"],
        "donors": donors,
        "donors_total": sum(donors.values()),
        "money_received": str(_money(donations["money_sum"])),
        "money_received_to_date": str(money_to_date),
        "money_used": str(_money(used["in_range"])),
        "money_used_to_date": str(used_to_date),
        "money_balance": str(money_to_date - used_to_date),
        "goods_value": str(_money(donations["value"])),
        "goods_value_to_date": str(_money(donations["value_to_date"])),
        "goods_items": lines["items"],
        "goods_items_to_date": lines["items_to_date"],
        "goods_lines_in_stock": lines["received"],
    }
