"""Reads of supplies, each narrowed to the user's scope.

On hand comes from Stock (one row per warehouse and item) and consumption from DailyIssue
(one row per warehouse, item and day), so the stock page and the command's figures cost the
same few indexed reads however long the ledger of movements grows (bench/supplies_stock.py).
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from fangkong.core.numbers import grouped
from fangkong.core.scope import is_within, scope_filter
from fangkong.supplies.models import (
    ZERO,
    Adjustment,
    Category,
    DailyIssue,
    Inbound,
    Item,
    Lot,
    LotUse,
    Movement,
    Outbound,
    Stock,
    SupplyRequest,
    Warehouse,
)
from fangkong.supplies.services import APPROVE, CATALOGUE, REQUEST, VIEW, WORK

# Days over which consumption is averaged.
CONSUMPTION_DAYS = 7


def item_choices() -> QuerySet:
    """Active catalogue items, for the forms of this and other apps."""
    return Item.objects.filter(active=True).select_related("category")


def categories() -> QuerySet:
    return Category.objects.all()


def catalogue(*, q: str = "", show_inactive: bool = False) -> QuerySet:
    items = Item.objects.select_related("category")
    if not show_inactive:
        items = items.filter(active=True)
    if q:
        items = items.filter(Q(name__contains=q) | Q(specification__contains=q))
    return items


def can_edit_catalogue(user) -> bool:
    return bool(user.has_perm(CATALOGUE) and user.scope_id and len(user.scope_id) <= 6)


# -- warehouses and stock --------------------------------------------------------------------


def warehouses_for(*, user) -> QuerySet:
    """Active warehouses in the user's scope (nothing without a supplies permission)."""
    if not (user.has_perm(VIEW) or user.has_perm(WORK) or user.has_perm(APPROVE)):
        return Warehouse.objects.none()
    return Warehouse.objects.for_user(user).filter(active=True).select_related("area")


def warehouse_list(*, user) -> QuerySet:
    if not user.has_perm(VIEW):
        return Warehouse.objects.none()
    return (
        Warehouse.objects.for_user(user)
        .select_related("area")
        .annotate(
            items_held=Count("stocks", filter=Q(stocks__on_hand__gt=0)),
            items_low=Count(
                "stocks",
                filter=Q(
                    stocks__low_threshold__gt=0, stocks__on_hand__lt=F("stocks__low_threshold")
                ),
            ),
        )
        .order_by("area_id", "name")
    )


def warehouse_queryset(*, user) -> QuerySet:
    if not user.has_perm(VIEW):
        return Warehouse.objects.none()
    return Warehouse.objects.for_user(user).select_related("area")


def days_of_cover(on_hand: Decimal, daily: Decimal) -> Decimal | None:
    if not daily:
        return None
    return (on_hand / daily).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _cents(value) -> Decimal:
    """A database sum as a quantity with two places (SQLite's sums lose them)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _daily(total: Decimal) -> Decimal:
    return (total / CONSUMPTION_DAYS).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def stock_rows(*, warehouse: Warehouse, today: datetime.date | None = None) -> list[dict]:
    """Every item the warehouse holds or has held, with its threshold, 7-day consumption and
    days of cover: two queries, whatever the number of movements."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=CONSUMPTION_DAYS - 1)
    issued = dict(
        DailyIssue.objects.filter(warehouse=warehouse, day__gte=since, day__lte=today)
        .values("item_id")
        .annotate(total=Sum("quantity"))
        .values_list("item_id", "total")
    )
    rows = []
    stocks = (
        Stock.objects.filter(warehouse=warehouse)
        .select_related("item", "item__category")
        .order_by("item__category__order", "item__category__name", "item__order", "item__name")
    )
    for stock in stocks:
        week = _cents(issued.get(stock.item_id))
        daily = _daily(week)
        rows.append(
            {
                "stock": stock,
                "item": stock.item,
                "category": stock.item.category.name,
                "on_hand": stock.on_hand,
                "low_threshold": stock.low_threshold,
                "issued_7d": week,
                "daily": daily,
                "days_of_cover": days_of_cover(stock.on_hand, daily),
                "is_low": stock.low_threshold > 0 and stock.on_hand < stock.low_threshold,
            }
        )
    return rows


def ledger(*, warehouse: Warehouse, item: Item) -> QuerySet:
    """The movements of one item in one warehouse, newest first, with the balance after each."""
    return (
        Movement.objects.filter(warehouse=warehouse, item=item)
        .select_related("actor")
        .order_by("-id")
    )


def stock_of(*, warehouse: Warehouse, item: Item) -> Stock | None:
    return Stock.objects.filter(warehouse=warehouse, item=item).first()


def movements(*, user, warehouse: Warehouse | None = None, kind: str = "") -> QuerySet:
    if not user.has_perm(VIEW):
        return Movement.objects.none()
    rows = Movement.objects.for_user(user)
    if warehouse is not None:
        rows = rows.filter(warehouse=warehouse)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.select_related("item", "warehouse", "actor").order_by("-id")


def stock_list(*, user) -> QuerySet:
    if not user.has_perm(VIEW):
        return Stock.objects.none()
    return (
        Stock.objects.for_user(user)
        .select_related("warehouse", "item", "item__category")
        .order_by("warehouse__area_id", "warehouse__name", "item__category__order", "item__name")
    )


# -- documents -------------------------------------------------------------------------------


def inbounds(*, user, warehouse: Warehouse | None = None) -> QuerySet:
    if not user.has_perm(VIEW):
        return Inbound.objects.none()
    rows = Inbound.objects.for_user(user)
    if warehouse is not None:
        rows = rows.filter(warehouse=warehouse)
    # Newest business day first: documents are often entered days after the goods moved.
    return (
        rows.select_related("warehouse").annotate(line_count=Count("lines")).order_by("-day", "-id")
    )


def outbounds(*, user, warehouse: Warehouse | None = None, kind: str = "") -> QuerySet:
    if not user.has_perm(VIEW):
        return Outbound.objects.none()
    rows = Outbound.objects.for_user(user)
    if warehouse is not None:
        rows = rows.filter(warehouse=warehouse)
    if kind:
        rows = rows.filter(kind=kind)
    return (
        rows.select_related("warehouse", "recipient_area", "to_warehouse")
        .annotate(line_count=Count("lines"))
        .order_by("-day", "-id")
    )


def outbound_queryset(*, user) -> QuerySet:
    """Outbounds the user may open: the issuing side (in scope, with view) or the receiving
    unit (recipient area in scope, asking or working on supplies)."""
    if not user.is_authenticated or not user.scope_id:
        return Outbound.objects.none()
    condition = Q(pk__in=[])
    if user.has_perm(VIEW):
        condition |= scope_filter("area", user.scope_id)
    if user.has_perm(REQUEST) or user.has_perm(WORK):
        condition |= Q(kind=Outbound.Kind.ISSUE) & scope_filter("recipient_area", user.scope_id)
    return Outbound.objects.filter(condition).select_related(
        "warehouse", "recipient_area", "to_warehouse", "request", "created_by", "confirmed_by"
    )


def received_outbounds(*, user) -> QuerySet:
    """Issues to units in the user's scope (what the unit received)."""
    if not user.is_authenticated or not user.scope_id or not user.has_perm(REQUEST):
        return Outbound.objects.none()
    return (
        Outbound.objects.filter(kind=Outbound.Kind.ISSUE)
        .filter(scope_filter("recipient_area", user.scope_id))
        .select_related("warehouse", "recipient_area")
        .annotate(line_count=Count("lines"))
        .order_by("confirmed_at", "-created_at", "-id")
    )


def can_confirm(user, outbound: Outbound) -> bool:
    return (
        outbound.kind == Outbound.Kind.ISSUE
        and outbound.confirmed_at is None
        and (user.has_perm(REQUEST) or user.has_perm(WORK))
        and is_within(outbound.recipient_area_id or "", user.scope_id)
    )


def outbound_lines(outbound: Outbound) -> list:
    return list(outbound.lines.select_related("item").order_by("id"))


def inbound_lines(inbound: Inbound) -> list:
    return list(inbound.lines.select_related("item").order_by("id"))


def adjustments(*, user, warehouse: Warehouse | None = None) -> QuerySet:
    if not user.has_perm(VIEW):
        return Adjustment.objects.none()
    rows = Adjustment.objects.for_user(user)
    if warehouse is not None:
        rows = rows.filter(warehouse=warehouse)
    return rows.select_related("item", "warehouse", "created_by")


# -- requests --------------------------------------------------------------------------------


def request_queryset(*, user) -> QuerySet:
    """Requests of units in the user's scope, and those the user's scope decides.

    A town sees its villages' requests and its own; the district sees all of its towns'.
    """
    if not user.is_authenticated or not user.scope_id:
        return SupplyRequest.objects.none()
    if not (user.has_perm(REQUEST) or user.has_perm(APPROVE) or user.has_perm(VIEW)):
        return SupplyRequest.objects.none()
    return SupplyRequest.objects.for_user(user).select_related(
        "area", "approver_area", "requested_by", "decided_by"
    )


def request_list(*, user, status: str = "") -> QuerySet:
    rows = request_queryset(user=user).annotate(line_count=Count("lines"))
    if status == "todo":
        rows = to_approve(user=user)
        rows = rows.select_related("area", "approver_area", "requested_by", "decided_by").annotate(
            line_count=Count("lines")
        )
    elif status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-id")


def to_approve(*, user) -> QuerySet:
    """Home counter: requests waiting for the user's decision or for issuing."""
    if not user.is_authenticated or not user.scope_id or not user.has_perm(APPROVE):
        return SupplyRequest.objects.none()
    return SupplyRequest.objects.filter(
        scope_filter("approver_area", user.scope_id),
        status__in=[
            SupplyRequest.Status.SUBMITTED,
            SupplyRequest.Status.APPROVED,
            SupplyRequest.Status.PARTLY,
        ],
    )


def can_decide(user, request: SupplyRequest) -> bool:
    return bool(
        user.has_perm(APPROVE)
        and user.scope_id
        and is_within(request.approver_area_id, user.scope_id)
    )


def low_stock(*, user) -> QuerySet:
    """Home counter: stock rows below their threshold in the user's scope."""
    if not user.has_perm(WORK):
        return Stock.objects.none()
    return Stock.objects.for_user(user).filter(low_threshold__gt=0, on_hand__lt=F("low_threshold"))


# -- traceability ----------------------------------------------------------------------------


def _root_lot_ids(lot_ids) -> dict[int, int]:
    """Each lot's descendants (transfers) mapped to the lot they came from."""
    roots = {pk: pk for pk in lot_ids}
    frontier = set(lot_ids)
    while frontier:
        children = list(Lot.objects.filter(parent_id__in=frontier).values_list("pk", "parent_id"))
        frontier = set()
        for pk, parent in children:
            roots[pk] = roots[parent]
            frontier.add(pk)
    return roots


def donated_destinations(*, source_type: str, source_ids: list[str]) -> list[dict]:
    """Where goods received with that source went: one dict per source line, item and
    destination unit (issues only; transfers are followed to the lots they created).

    No personal data: units and quantities only.
    """
    source_ids = [str(s) for s in source_ids]
    if not source_ids:
        return []
    origins = list(
        Lot.objects.filter(source_type=source_type, source_id__in=source_ids, parent__isnull=True)
        .select_related("item")
        .values("pk", "source_id", "source_line", "item_id", "item__name", "item__unit", "received")
    )
    if not origins:
        return []
    roots = _root_lot_ids([row["pk"] for row in origins])
    uses = (
        LotUse.objects.filter(
            lot_id__in=list(roots),
            outbound_line__outbound__kind=Outbound.Kind.ISSUE,
        )
        .values(
            "lot_id",
            "outbound_line__outbound__recipient_area_id",
            "outbound_line__outbound__unit_name",
            "outbound_line__outbound__unit_type",
        )
        .annotate(total=Sum("quantity"))
    )
    by_root: dict[int, dict] = {row["pk"]: row for row in origins}
    received: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for row in origins:
        received[(row["source_id"], row["source_line"], row["item_id"])] += _cents(row["received"])
    result: dict[tuple, dict] = {}
    for use in uses:
        origin = by_root[roots[use["lot_id"]]]
        line_key = (origin["source_id"], origin["source_line"], origin["item_id"])
        key = (
            *line_key,
            use["outbound_line__outbound__recipient_area_id"],
            use["outbound_line__outbound__unit_name"],
        )
        entry = result.get(key)
        if entry is None:
            entry = result[key] = {
                "source_id": origin["source_id"],
                "source_line": origin["source_line"],
                "item_id": origin["item_id"],
                "item_name": origin["item__name"],
                "unit": origin["item__unit"],
                "received": received[line_key],
                "issued": ZERO,
                "destination_area_id": use["outbound_line__outbound__recipient_area_id"],
                "destination_name": use["outbound_line__outbound__unit_name"],
                "unit_type": use["outbound_line__outbound__unit_type"],
            }
        entry["issued"] += _cents(use["total"])
    return sorted(
        result.values(),
        key=lambda e: (e["source_id"], e["source_line"], e["item_id"], e["destination_area_id"]),
    )


def lot_trace(*, outbound: Outbound) -> list[dict]:
    """Where the goods of an issue came from: per line, the origin lots and quantities."""
    uses = (
        LotUse.objects.filter(outbound_line__outbound=outbound)
        .select_related("lot", "lot__inbound_line__inbound", "outbound_line__item")
        .order_by("outbound_line_id", "lot_id")
    )
    return [
        {
            "item": use.outbound_line.item,
            "quantity": use.quantity,
            "origin_kind": use.lot.origin_kind,
            "inbound": use.lot.inbound_line.inbound if use.lot.inbound_line_id else None,
            "source_type": use.lot.source_type,
            "source_id": use.lot.source_id,
        }
        for use in uses
    ]


# -- the command's figures -------------------------------------------------------------------


def command_figures(*, area_code: str, date_from: datetime.date, date_to: datetime.date) -> dict:
    """Supplies figures of the subtree of `area_code` for the dashboard and the briefing, in
    five queries whatever the data size. Keys in docs/supplies.md."""
    if date_from > date_to:
        raise ValueError("date_from is after date_to")
    week_from = date_to - datetime.timedelta(days=CONSUMPTION_DAYS - 1)
    scope = scope_filter("area", area_code)
    items = {
        row["pk"]: row
        for row in Item.objects.values(
            "pk", "name", "specification", "unit", "category__name", "category__order", "order"
        )
    }
    issued_rows = (
        DailyIssue.objects.filter(scope, day__lte=date_to)
        .values("item_id")
        .annotate(
            to_date=Sum("quantity"),
            in_range=Sum("quantity", filter=Q(day__gte=date_from)),
            week=Sum("quantity", filter=Q(day__gte=week_from)),
        )
    )
    issued = {row["item_id"]: row for row in issued_rows}
    stock_rows_ = list(
        Stock.objects.filter(scope)
        .values("item_id")
        .annotate(on_hand=Sum("on_hand"))
        .values_list("item_id", "on_hand")
    )
    low_rows = list(
        Stock.objects.filter(scope, low_threshold__gt=0, on_hand__lt=F("low_threshold"))
        .values("warehouse_id", "warehouse__name", "item_id", "on_hand", "low_threshold")
        .order_by("warehouse__name", "item_id")
    )
    pending = SupplyRequest.objects.filter(scope).aggregate(
        submitted=Count("pk", filter=Q(status=SupplyRequest.Status.SUBMITTED)),
        to_issue=Count(
            "pk",
            filter=Q(status__in=[SupplyRequest.Status.APPROVED, SupplyRequest.Status.PARTLY]),
        ),
    )

    def order(item_id):
        row = items[item_id]
        return (row["category__order"], row["category__name"], row["order"], row["name"])

    issued_items = []
    for item_id in sorted(issued, key=order):
        row, item = issued[item_id], items[item_id]
        issued_items.append(
            {
                "item_id": item_id,
                "item": item["name"],
                "specification": item["specification"],
                "unit": item["unit"],
                "category": item["category__name"],
                "in_range": _cents(row["in_range"]),
                "to_date": _cents(row["to_date"]),
            }
        )
    on_hand = {item_id: _cents(value) for item_id, value in stock_rows_}
    by_category: dict[str, list] = {}
    cover = []
    for item_id in sorted(on_hand, key=order):
        item = items[item_id]
        week = _cents((issued.get(item_id) or {}).get("week"))
        daily = _daily(week)
        entry = {
            "item_id": item_id,
            "item": item["name"],
            "unit": item["unit"],
            "on_hand": on_hand[item_id],
            "daily": daily,
            "days_of_cover": days_of_cover(on_hand[item_id], daily),
        }
        by_category.setdefault(item["category__name"], []).append(entry)
        if entry["days_of_cover"] is not None:
            cover.append(entry)
    cover.sort(key=lambda e: (e["days_of_cover"], e["item"]))
    phrase = "、".join(
        f"{row['item']} {grouped(row['in_range'])} {row['unit']}"
        for row in issued_items
        if row["in_range"]
    )
    return {
        "date_from": date_from,
        "date_to": date_to,
        "issued": issued_items,
        "issued_by_category": _by_category(issued_items),
        "issued_phrase": phrase,
        "on_hand": [{"category": name, "items": rows} for name, rows in by_category.items()],
        "below_threshold": [
            {
                "warehouse_id": row["warehouse_id"],
                "warehouse": row["warehouse__name"],
                "item_id": row["item_id"],
                "item": items[row["item_id"]]["name"],
                "unit": items[row["item_id"]]["unit"],
                "on_hand": row["on_hand"],
                "threshold": row["low_threshold"],
            }
            for row in low_rows
        ],
        "lowest_cover": cover[:5],
        "requests_pending": pending["submitted"],
        "requests_to_issue": pending["to_issue"],
    }


def _by_category(issued_items: list[dict]) -> list[dict]:
    groups: dict[str, list] = {}
    for row in issued_items:
        groups.setdefault(row["category"], []).append(row)
    return [{"category": name, "items": rows} for name, rows in groups.items()]
