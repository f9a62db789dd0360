"""Every change to donations: donors, donations (money and goods), receiving the goods into a
warehouse, and disbursements of the money.

The guarantees live here: a donation with neither money nor goods is refused; amounts and
quantities are never negative and countable goods come in whole numbers; a donation's number
is taken from its receiving unit's counter for the year under a row lock; goods are received
into stock once (the donation row is locked and checked) and their lines are fixed from then
on; the money paid out of a donation never exceeds what it brought (row lock, and a database
constraint behind it).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core import pii
from fangkong.core.models import AccessLog, Area
from fangkong.core.phone import normalize_phone
from fangkong.core.scope import ancestor_codes, is_within, require_within
from fangkong.core.services import Origin, access_log_record
from fangkong.donations.models import (
    ZERO,
    Channel,
    Designation,
    Disbursement,
    Donation,
    DonationLine,
    Donor,
    NumberCounter,
)
from fangkong.donations.validators import normalize_credit_code

SOURCE_TYPE = "donations.donation"
REVEAL = "people.reveal_pii"
CENT = Decimal("0.01")


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _decimal(value, field: str, *, places: int = 2) -> Decimal:
    """A non-negative Decimal with at most `places` decimals, or a ValidationError on `field`."""
    if value is None or value == "":
        return ZERO
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _error(field, _("Enter a number"), "invalid") from None
    if not number.is_finite():
        raise _error(field, _("Enter a number"), "invalid")
    if number < 0:
        raise _error(field, _("The value cannot be negative"), "negative")
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise _error(
            field,
            _("Use at most %(places)d decimal places") % {"places": places},
            "places",
        )
    return number


# -- donors ---------------------------------------------------------------------------------


def _donor_fields(
    *,
    kind: str,
    name: str,
    credit_code: str,
    contact_name: str,
    phone: str,
    anonymous: bool,
    disclose_name: bool,
) -> dict:
    errors: dict[str, list] = {}
    name = (name or "").strip()
    if kind not in Donor.Kind.values:
        errors["kind"] = [_("Choose enterprise, organisation or individual")]
    if not name:
        errors["name"] = [_("Give the donor's name")]
    code = (credit_code or "").strip()
    if code:
        if kind == Donor.Kind.INDIVIDUAL:
            errors["credit_code"] = [
                _("Only enterprises and organisations have a unified social credit code")
            ]
        else:
            try:
                code = normalize_credit_code(code)
            except ValidationError as exc:
                errors["credit_code"] = exc.messages
    number = ""
    if phone and phone.strip():
        try:
            number = normalize_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "name": name,
        "credit_code": code,
        "contact_name": (contact_name or "").strip(),
        "phone_encrypted": pii.encrypt(number),
        "phone_hash": pii.digest(number),
        "phone_masked": pii.mask_phone(number),
        "anonymous": bool(anonymous),
        # Consent concerns a person's name; an organisation's is public anyway.
        "disclose_name": bool(disclose_name) if kind == Donor.Kind.INDIVIDUAL else True,
    }


def _check_credit_unique(donor: Donor) -> None:
    if not donor.credit_code:
        return
    other = (
        Donor.objects.filter(area_id=donor.area_id, credit_code=donor.credit_code)
        .exclude(pk=donor.pk)
        .values_list("name", flat=True)
        .first()
    )
    if other is not None:
        raise _error(
            "credit_code",
            _("%(name)s is already registered with this credit code") % {"name": other},
            "duplicate",
        )


def _actor_area(actor, area: Area | None) -> str:
    if area is None:
        if actor is None or not actor.scope_id:
            raise _error("area", _("You have no scope to register donations in"), "scope")
        return actor.scope_id
    require_within(actor, area.code)
    return area.code


@transaction.atomic
def donor_create(
    *,
    actor,
    kind: str,
    name: str,
    area: Area | None = None,
    credit_code: str = "",
    contact_name: str = "",
    phone: str = "",
    anonymous: bool = False,
    disclose_name: bool = False,
    address: str = "",
    note: str = "",
) -> Donor:
    """A donor registered by `area` (the actor's scope when not given)."""
    code = _actor_area(actor, area)
    fields = _donor_fields(
        kind=kind,
        name=name,
        credit_code=credit_code,
        contact_name=contact_name,
        phone=phone,
        anonymous=anonymous,
        disclose_name=disclose_name,
    )
    donor = Donor(
        area_id=code,
        address=(address or "").strip(),
        note=(note or "").strip(),
        created_by=actor,
        **fields,
    )
    _check_credit_unique(donor)
    donor.full_clean()
    donor.save()
    return donor


@transaction.atomic
def donor_update(
    *,
    actor,
    donor: Donor,
    kind: str,
    name: str,
    credit_code: str = "",
    contact_name: str = "",
    phone: str | None = None,
    anonymous: bool = False,
    disclose_name: bool = False,
    address: str = "",
    note: str = "",
) -> Donor:
    """Change a donor; `phone` None keeps the stored number."""
    donor = Donor.objects.select_for_update().get(pk=donor.pk)
    require_within(actor, donor.area_id)
    fields = _donor_fields(
        kind=kind,
        name=name,
        credit_code=credit_code,
        contact_name=contact_name,
        phone=pii.decrypt(donor.phone_encrypted) if phone is None else phone,
        anonymous=anonymous,
        disclose_name=disclose_name,
    )
    for key, value in fields.items():
        setattr(donor, key, value)
    donor.address = (address or "").strip()
    donor.note = (note or "").strip()
    _check_credit_unique(donor)
    donor.full_clean()
    donor.save()
    return donor


@transaction.atomic
def donor_reveal_phone(*, actor, donor: Donor, origin: Origin) -> str:
    """The donor's full phone number for a user holding people.reveal_pii; always logged."""
    if actor is None or not actor.has_perm(REVEAL):
        raise PermissionError(f"{REVEAL} required")
    require_within(actor, donor.area_id)
    access_log_record(
        actor=actor,
        action=AccessLog.Action.REVEAL,
        area=donor.area_id,
        target_type="donor",
        target_id=str(donor.pk),
        target_label=donor.name,
        fields="phone",
        origin=origin,
    )
    return pii.decrypt(donor.phone_encrypted)


# -- donations ------------------------------------------------------------------------------


def short_name(area: Area) -> str:
    """The one character a unit's document numbers start with: 临淄区 -> 临."""
    return (area.name or "")[:1]


def _next_number(area_id: str, year: int) -> int:
    counter, _created = NumberCounter.objects.get_or_create(area_id=area_id, year=year)
    counter = NumberCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _check_area(actor, area: Area | None) -> Area:
    if area is None:
        raise _error("area", _("Choose the receiving unit"), "required")
    require_within(actor, area.code)
    if area.level not in (Area.Level.COUNTY, Area.Level.TOWN):
        raise _error("area", _("Donations are received by a district or a town"), "level")
    return area


def _check_donor(actor, donor: Donor | None, area: Area) -> Donor:
    if donor is None:
        raise _error("donor", _("Choose the donor"), "required")
    if actor is not None and not is_within(donor.area_id, actor.scope_id):
        raise _error("donor", _("This donor is outside your scope"), "scope")
    if donor.area_id not in ancestor_codes(area.code):
        raise _error(
            "donor",
            _("%(donor)s is registered by %(unit)s, not by the receiving unit or above it")
            % {"donor": donor.name, "unit": donor.area_id},
            "scope",
        )
    return donor


def _check_money(*, amount, channel: str, designation: str, purpose: str) -> dict:
    amount = _decimal(amount, "amount")
    channel = channel or ""
    designation = designation or Designation.UNDESIGNATED
    purpose = (purpose or "").strip()
    errors: dict[str, list] = {}
    if amount > 0 and not channel:
        errors["channel"] = [_("Say how the money was received")]
    if channel and channel not in Channel.values:
        errors["channel"] = [_("Unknown channel")]
    if designation not in Designation.values:
        errors["designation"] = [_("Choose designated or undesignated")]
    elif designation == Designation.DESIGNATED and not purpose:
        errors["purpose"] = [_("A designated donation needs its purpose")]
    if errors:
        raise ValidationError(errors)
    return {
        "amount": amount,
        "channel": channel if amount > 0 else "",
        "designation": designation,
        "purpose": purpose,
    }


def check_lines(lines) -> list[dict]:
    """The goods lines, each {"item", "quantity", "value", "note"} and optionally "number"
    (the row a form showed it in), checked; errors name the line and say what is wrong."""
    checked = []
    problems = []
    for index, line in enumerate(lines or [], start=1):
        # A form's row number when it skipped blank rows.
        number = line.get("number") or index
        item = line.get("item")
        try:
            quantity = _decimal(line.get("quantity"), "quantity")
            value = _decimal(line.get("value"), "value")
        except ValidationError as exc:
            problems.append(
                _("Line %(n)d: %(reason)s") % {"n": number, "reason": " ".join(exc.messages)}
            )
            continue
        if item is None:
            problems.append(_("Line %(n)d: choose the item") % {"n": number})
            continue
        if quantity <= 0:
            problems.append(
                _("Line %(n)d: the quantity of %(item)s must be more than 0")
                % {"n": number, "item": item}
            )
            continue
        if item.countable and quantity != quantity.to_integral_value():
            problems.append(
                _("Line %(n)d: %(item)s is counted in whole %(unit)s")
                % {"n": number, "item": item, "unit": item.unit}
            )
            continue
        checked.append(
            {
                "item": item,
                "quantity": quantity,
                "value": value,
                "note": (line.get("note") or "").strip()[:200],
            }
        )
    if problems:
        raise ValidationError({"lines": problems})
    return checked


def _check_date(received_on: datetime.date | None) -> datetime.date:
    if received_on is None:
        raise _error("received_on", _("Give the date received"), "required")
    if received_on > timezone.localdate():
        raise _error("received_on", _("The date cannot be in the future"), "future")
    return received_on


def _refuse_empty(money: dict, lines: list) -> None:
    if money["amount"] <= 0 and not lines:
        raise _error(
            "__all__",
            _("A donation needs money, goods or both: enter an amount or at least one item"),
            "empty",
        )


def _write_lines(donation: Donation, lines: list[dict]) -> None:
    DonationLine.objects.bulk_create(
        DonationLine(
            donation=donation,
            area_id=donation.area_id,
            item=line["item"],
            quantity=line["quantity"],
            value=line["value"],
            note=line["note"],
        )
        for line in lines
    )
    donation.goods_value = sum((line["value"] for line in lines), ZERO)
    donation.goods_lines = len(lines)


@transaction.atomic
def donation_create(
    *,
    actor,
    area: Area,
    donor: Donor,
    received_on: datetime.date,
    amount=None,
    channel: str = "",
    designation: str = "",
    purpose: str = "",
    lines=(),
    note: str = "",
) -> Donation:
    """Register a donation received by `area` (a district or town) and number it."""
    area = _check_area(actor, area)
    errors: dict[str, list] = {}
    checked = {}
    for key, check in (
        ("donor", lambda: _check_donor(actor, donor, area)),
        ("received_on", lambda: _check_date(received_on)),
        (
            "money",
            lambda: _check_money(
                amount=amount, channel=channel, designation=designation, purpose=purpose
            ),
        ),
        ("lines", lambda: check_lines(lines)),
    ):
        try:
            checked[key] = check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    money, goods = checked["money"], checked["lines"]
    _refuse_empty(money, goods)
    year = received_on.year
    sequence = _next_number(area.code, year)
    donation = Donation(
        area=area,
        donor=donor,
        year=year,
        sequence=sequence,
        number=f"{short_name(area)}捐〔{year}〕{sequence}号",
        received_on=received_on,
        note=(note or "").strip(),
        created_by=actor,
        **money,
    )
    donation.full_clean(exclude=["warehouse", "inbound"])
    donation.save()
    if goods:
        _write_lines(donation, goods)
        donation.save(update_fields=["goods_value", "goods_lines"])
    return donation


def _same_lines(donation: Donation, lines: list[dict]) -> bool:
    stored = [(line.item_id, line.quantity, line.value) for line in donation.lines.order_by("id")]
    wanted = [(line["item"].pk, line["quantity"], line["value"]) for line in lines]
    return stored == wanted


@transaction.atomic
def donation_update(
    *,
    actor,
    donation: Donation,
    donor: Donor,
    received_on: datetime.date,
    amount=None,
    channel: str = "",
    designation: str = "",
    purpose: str = "",
    lines=None,
    note: str = "",
) -> Donation:
    """Correct a donation; `lines` None keeps the goods. Once the goods are in stock their
    lines are fixed, and the amount never drops below what has been paid out of it."""
    donation = Donation.objects.select_for_update().select_related("area").get(pk=donation.pk)
    require_within(actor, donation.area_id)
    errors: dict[str, list] = {}
    checked = {}
    for key, check in (
        (
            "donor",
            # The donor it was registered with stays valid even if registered above the
            # actor's scope.
            lambda: (
                donor
                if donor is not None and donor.pk == donation.donor_id
                else _check_donor(actor, donor, donation.area)
            ),
        ),
        ("received_on", lambda: _check_date(received_on)),
        (
            "money",
            lambda: _check_money(
                amount=amount, channel=channel, designation=designation, purpose=purpose
            ),
        ),
        ("lines", lambda: None if lines is None else check_lines(lines)),
    ):
        try:
            checked[key] = check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    money, goods = checked["money"], checked["lines"]
    if goods is not None and donation.goods_received and not _same_lines(donation, goods):
        raise _error(
            "lines",
            _("The goods are already in stock: their lines can no longer change"),
            "received",
        )
    goods_count = donation.goods_lines if goods is None else len(goods)
    _refuse_empty(money, [None] * goods_count)
    if money["amount"] < donation.money_used:
        raise _error(
            "amount",
            _("%(used)s yuan of this donation are already paid out")
            % {"used": donation.money_used},
            "used",
        )
    donation.donor = donor
    donation.received_on = received_on
    donation.note = (note or "").strip()
    for key, value in money.items():
        setattr(donation, key, value)
    if goods is not None and not donation.goods_received:
        donation.lines.all().delete()
        _write_lines(donation, goods)
    donation.full_clean(exclude=["warehouse", "inbound"])
    donation.save()
    return donation


@transaction.atomic
def donation_goods_receive(*, actor, donation: Donation, warehouse, note: str = "") -> Donation:
    """Put the donation's goods into `warehouse` as one donation inbound, once."""
    from fangkong.supplies import services as supplies_services

    donation = (
        Donation.objects.select_for_update().select_related("area", "donor").get(pk=donation.pk)
    )
    require_within(actor, donation.area_id)
    if donation.goods_received:
        raise _error(
            "warehouse",
            _("The goods of %(number)s are already in stock") % {"number": donation.number},
            "received",
        )
    lines = list(donation.lines.select_related("item").order_by("id"))
    if not lines:
        raise _error("warehouse", _("This donation has no goods to receive"), "empty")
    if warehouse is None:
        raise _error("warehouse", _("Choose the warehouse"), "required")
    code = warehouse.area_id
    if not (is_within(code, donation.area_id) or code in ancestor_codes(donation.area_id)):
        raise _error(
            "warehouse",
            _("%(warehouse)s does not serve %(unit)s")
            % {"warehouse": warehouse.name, "unit": donation.area.name},
            "scope",
        )
    inbound = supplies_services.inbound_create(
        actor=actor,
        warehouse=warehouse,
        kind="donation",
        # The public name only: the supplies ledger holds no donor's personal data.
        supplier=donation.donor.public_name,
        document_no=donation.number,
        source_type=SOURCE_TYPE,
        source_id=str(donation.pk),
        note=(note or "").strip(),
        lines=[
            {
                "item": line.item,
                "quantity": line.quantity,
                "unit_price": None,
                "source_line": str(line.pk),
            }
            for line in lines
        ],
    )
    donation.warehouse = warehouse
    donation.inbound = inbound
    donation.goods_received_at = timezone.now()
    donation.save(update_fields=["warehouse", "inbound", "goods_received_at", "updated_at"])
    return donation


# -- money use ------------------------------------------------------------------------------


@transaction.atomic
def disbursement_create(
    *,
    actor,
    donation: Donation,
    amount,
    purpose: str,
    paid_on: datetime.date | None,
    approved_by: str,
) -> Disbursement:
    """Record money paid out of a donation; never more than its balance."""
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    require_within(actor, donation.area_id)
    errors: dict[str, list] = {}
    try:
        amount = _decimal(amount, "amount")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        amount = None
    if amount is not None:
        if amount <= 0:
            errors["amount"] = [_("The amount must be more than 0")]
        elif amount > donation.balance:
            errors["amount"] = [
                _("Only %(balance)s yuan of this donation are left") % {"balance": donation.balance}
            ]
    purpose = (purpose or "").strip()
    approved_by = (approved_by or "").strip()
    if not purpose:
        errors["purpose"] = [_("Say what the money was used for")]
    if not approved_by:
        errors["approved_by"] = [_("Say who approved the payment")]
    if paid_on is None:
        errors["paid_on"] = [_("Give the date paid")]
    elif paid_on > timezone.localdate():
        errors["paid_on"] = [_("The date cannot be in the future")]
    elif paid_on < donation.received_on:
        errors["paid_on"] = [_("The date is before the donation was received")]
    if errors:
        raise ValidationError(errors)
    disbursement = Disbursement(
        donation=donation,
        area_id=donation.area_id,
        amount=amount,
        purpose=purpose,
        paid_on=paid_on,
        approved_by=approved_by,
        created_by=actor,
    )
    disbursement.full_clean()
    disbursement.save()
    Donation.objects.filter(pk=donation.pk).update(money_used=F("money_used") + amount)
    return disbursement
