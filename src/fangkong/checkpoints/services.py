"""Every write of the checkpoints module: checkpoints, vehicle registrations, pre-filled entries.

A vehicle is registered once with all its occupants (一问一测一告知六登记 for each). Nothing is
written unless every occupant is valid, and the errors name the occupant and the field
("occupants.1.temperature"), so a phone can put each message under its input. What follows
from a registration happens in the same transaction: a fever raises an alert, a passed
traveller bound for a village of the district is pushed there when the district's rules say
so, one bound elsewhere goes on the outbound 协查 list.
"""

import datetime
import json
import re
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.checkpoints.models import (
    Checkpoint,
    Outcome,
    Prefill,
    Registration,
    Shift,
    VehicleCheck,
)
from fangkong.checkpoints.plates import parse_plate
from fangkong.checkpoints.regions import resolve_region
from fangkong.checkpoints.selectors import assigned_only
from fangkong.core import pii
from fangkong.core.models import Area
from fangkong.core.scope import is_within, require_within
from fangkong.ledger.models import Push
from fangkong.ledger.services import PushRules, outbound_create, pushes_create
from fangkong.monitoring.services import alert_raise, is_fever
from fangkong.people.models import Person
from fangkong.people.services import ProtectedValues, person_protect

TEMPERATURE_MIN = Decimal("34.0")
TEMPERATURE_MAX = Decimal("43.0")
# A bus carries at most this many; more is a client bug, not a vehicle.
MAX_OCCUPANTS = 80
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = datetime.timedelta(minutes=5)
# Vehicles that must carry a plate; a motorcycle, e-bike or pedestrian may have none.
PLATED = frozenset(
    {VehicleCheck.VehicleKind.CAR, VehicleCheck.VehicleKind.TRUCK, VehicleCheck.VehicleKind.BUS}
)
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:\-]{1,48}$")
# What an occupant may carry (the service ignores nothing silently: other keys are a bug).
OCCUPANT_KEYS = frozenset(
    {
        "name",
        "id_number",
        "phone",
        "is_driver",
        "origin",
        "origin_region",
        "travel_history",
        "from_risk_area",
        "case_contact",
        "temperature",
        "notice_given",
        "destination_area",
        "destination_address",
        "outcome",
        "flagged",
        "note",
    }
)
PREFILL_HOURS = 24
PREFILL_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PREFILL_CODE_LENGTH = 6
QR_SALT = "fangkong.checkpoints.qr"


def district_code() -> str:
    return settings.FANGKONG_DISTRICT_CODE


# -- checkpoints ---------------------------------------------------------------------------


def parse_shifts(text: str) -> list[tuple[str, datetime.time, datetime.time]]:
    """ "早班 08:00-16:00" per line -> [(name, starts, ends)]; raises ValidationError."""
    shifts = []
    pattern = re.compile(r"^(\S.*?)\s+(\d{1,2})[:：](\d{2})\s*[-–~至到]\s*(\d{1,2})[:：](\d{2})$")
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = pattern.match(line)
        try:
            if not match:
                raise ValueError
            name = match.group(1).strip()
            starts = datetime.time(int(match.group(2)), int(match.group(3)))
            ends = datetime.time(int(match.group(4)) % 24, int(match.group(5)))
        except ValueError:
            raise ValidationError(
                {
                    "shifts": _("Line %(line)d: write a shift as “早班 08:00-16:00”")
                    % {"line": number}
                }
            ) from None
        shifts.append((name[:20], starts, ends))
    return shifts


def _check_shifts(shifts) -> None:
    names = [name for name, _starts, _ends in shifts]
    if len(set(names)) != len(names):
        raise ValidationError({"shifts": _("Two shifts have the same name")})
    for name, starts, ends in shifts:
        if starts == ends:
            raise ValidationError(
                {"shifts": _("Shift %(name)s starts when it ends") % {"name": name}}
            )


def _check_staff(checkpoint: Checkpoint, staff, actor) -> None:
    for user in staff:
        if not is_within(checkpoint.area_id, user.scope_id):
            raise ValidationError(
                {
                    "staff": _("%(user)s does not work where the checkpoint is")
                    % {"user": user.display_name}
                }
            )
        if actor is not None and not is_within(user.scope_id, actor.scope_id):
            raise ValidationError({"staff": _("This user is outside your scope")})


def _save_shifts(checkpoint: Checkpoint, shifts) -> None:
    # Matched by name, so the registrations of a shift whose hours change stay counted
    # under it; a shift no longer listed is removed (its registrations keep their day).
    existing = {shift.name: shift for shift in checkpoint.shifts.all()}
    for name, starts, ends in shifts:
        shift = existing.pop(name, None) or Shift(checkpoint=checkpoint, name=name)
        shift.starts, shift.ends = starts, ends
        shift.full_clean()
        shift.save()
    for shift in existing.values():
        shift.delete()


def _checkpoint_fields(checkpoint: Checkpoint, *, area: Area, **fields) -> None:
    if area.level < Area.Level.TOWN:
        raise ValidationError({"area": _("Choose the town, village or grid it stands in")})
    checkpoint.area = area
    for name, value in fields.items():
        setattr(checkpoint, name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def checkpoint_create(
    *,
    actor,
    area: Area,
    name: str,
    level: int,
    kind: str,
    location: str = "",
    is_open: bool = True,
    staff=(),
    shifts=(),
) -> Checkpoint:
    require_within(actor, area.code)
    checkpoint = Checkpoint()
    _checkpoint_fields(
        checkpoint, area=area, name=name, level=level, kind=kind, location=location, is_open=is_open
    )
    _check_shifts(shifts)
    _check_staff(checkpoint, staff, actor)
    checkpoint.full_clean()
    checkpoint.save()
    checkpoint.staff.set(staff)
    _save_shifts(checkpoint, shifts)
    return checkpoint


@transaction.atomic
def checkpoint_update(
    *,
    actor,
    checkpoint: Checkpoint,
    area: Area,
    name: str,
    level: int,
    kind: str,
    location: str = "",
    is_open: bool = True,
    staff=(),
    shifts=(),
) -> Checkpoint:
    checkpoint = Checkpoint.objects.select_for_update().get(pk=checkpoint.pk)
    require_within(actor, checkpoint.area_id)
    require_within(actor, area.code)
    _checkpoint_fields(
        checkpoint, area=area, name=name, level=level, kind=kind, location=location, is_open=is_open
    )
    _check_shifts(shifts)
    _check_staff(checkpoint, staff, actor)
    checkpoint.full_clean()
    checkpoint.save()
    checkpoint.staff.set(staff)
    _save_shifts(checkpoint, shifts)
    return checkpoint


@transaction.atomic
def checkpoint_renew_qr(*, actor, checkpoint: Checkpoint) -> Checkpoint:
    """Invalidate every printed QR code of the checkpoint (a new one must be printed)."""
    checkpoint = Checkpoint.objects.select_for_update().get(pk=checkpoint.pk)
    require_within(actor, checkpoint.area_id)
    checkpoint.qr_version += 1
    checkpoint.save(update_fields=["qr_version"])
    return checkpoint


def qr_token(checkpoint: Checkpoint) -> str:
    """The signed part of the checkpoint's public pre-fill URL."""
    return signing.Signer(salt=QR_SALT).sign(f"{checkpoint.pk}.{checkpoint.qr_version}")


def checkpoint_for_token(token: str) -> Checkpoint | None:
    """The open checkpoint a QR token names, or None when forged, reprinted or closed."""
    try:
        value = signing.Signer(salt=QR_SALT).unsign(token)
        pk, version = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError):
        return None
    return (
        Checkpoint.objects.filter(pk=pk, qr_version=version, is_open=True)
        .select_related("area")
        .first()
    )


def shift_at(shifts, moment: datetime.datetime) -> tuple[Shift | None, datetime.date]:
    """The shift a registration at `moment` falls in, and the shift's day."""
    local = timezone.localtime(moment)
    now = local.time()
    for shift in shifts:
        if shift.starts < shift.ends:
            if shift.starts <= now < shift.ends:
                return shift, local.date()
        elif now >= shift.starts:
            return shift, local.date()
        elif now < shift.ends:
            # The early hours of an overnight shift belong to the day it started.
            return shift, local.date() - datetime.timedelta(days=1)
    return None, local.date()


# -- validation of one vehicle and its occupants --------------------------------------------


def parse_temperature(value) -> Decimal:
    """36.5, "36.5", "３６．５", "36.5℃" -> Decimal("36.5"); 34.0-43.0 with one decimal."""
    if isinstance(value, bool) or value is None:
        raise ValidationError(_("Enter the temperature, such as 36.5"), code="temperature")
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().translate(str.maketrans("０１２３４５６７８９．，", "0123456789.."))
    text = text.replace(",", ".").removesuffix("°C").removesuffix("℃").removesuffix("°").strip()
    if not text:
        raise ValidationError(_("Enter the temperature, such as 36.5"), code="temperature")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(
            _("Enter the temperature as a number, such as 36.5"), code="temperature"
        )
    if number.as_tuple().exponent < -1 and number != number.quantize(Decimal("0.1")):
        raise ValidationError(
            _("Enter the temperature with one decimal, such as 36.5"), code="temperature"
        )
    number = number.quantize(Decimal("0.1"))
    if not TEMPERATURE_MIN <= number <= TEMPERATURE_MAX:
        raise ValidationError(
            _("A temperature is between %(min)s and %(max)s °C")
            % {"min": TEMPERATURE_MIN, "max": TEMPERATURE_MAX},
            code="temperature_range",
        )
    return number


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "是", "y")
    return bool(value)


def _text(value, limit: int) -> str:
    return ("" if value is None else str(value)).strip()[:limit]


def destination_areas(codes) -> dict[str, Area]:
    """The district's areas among `codes`, by code, in one query."""
    codes = {c for c in codes if isinstance(c, str) and c.isdigit()}
    if not codes:
        return {}
    return {a.code: a for a in Area.objects.filter(code__in=codes)}


def check_destination(code: str, address: str, areas: dict[str, Area]) -> tuple[Area | None, str]:
    """(area, "") for a village or grid of the district, (None, address) for a place outside;
    raises ValidationError (for the destination_area field) otherwise."""
    district = district_code()
    if code:
        area = areas.get(code)
        if area is None:
            raise ValidationError(_("Unknown area code %(code)s") % {"code": code})
        if not is_within(area.code, district):
            raise ValidationError(
                _("This area is outside the district: enter the address instead"),
                code="destination_outside",
            )
        if area.level < Area.Level.VILLAGE:
            raise ValidationError(_("Choose a village, community or grid"))
        return area, ""
    region = resolve_region(address)
    if region and is_within(region, district):
        # A traveller bound for a place of this district is pushed to its village: a free
        # address would send them nowhere.
        raise ValidationError(
            _("This address is in the district: choose its village or grid"),
            code="destination_inside",
        )
    return None, address


def clean_occupant(
    raw: dict, *, index: int, areas: dict[str, Area], today: datetime.date, prefill: bool = False
) -> tuple[dict, dict[str, list[str]]]:
    """One occupant's values checked and derived; errors keyed "occupants.<index>.<field>".

    With `prefill`, the traveller's own entry: no temperature and no outcome yet.
    """
    unknown = set(raw) - OCCUPANT_KEYS
    if unknown:
        raise TypeError(f"unknown occupant fields: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}

    def error(field: str, message) -> None:
        errors.setdefault(f"occupants.{index}.{field}", []).append(str(message))

    data: dict[str, Any] = {
        "name": _text(raw.get("name"), 51),
        "is_driver": _flag(raw.get("is_driver")),
        "origin": _text(raw.get("origin"), 201),
        "travel_history": _text(raw.get("travel_history"), 301),
        "from_risk_area": _flag(raw.get("from_risk_area")),
        "case_contact": _flag(raw.get("case_contact")),
        "notice_given": _flag(raw.get("notice_given")),
        "flagged": _flag(raw.get("flagged")),
        "note": _text(raw.get("note"), 301),
    }
    if not data["name"]:
        error("name", _("This field is required."))
    for field, limit in (("name", 50), ("origin", 200), ("travel_history", 300), ("note", 300)):
        if len(data[field]) > limit:
            error(field, _("At most %(max)d characters") % {"max": limit})
    id_number = _text(raw.get("id_number"), 40)
    if not id_number:
        error("id_number", _("Enter the ID number"))
    try:
        protected, derived = person_protect(
            id_number=id_number, phone=_text(raw.get("phone"), 40), today=today
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                error(field, message)
        protected, derived = None, {}
    data["id_number"] = id_number
    data["phone"] = _text(raw.get("phone"), 40)
    data["protected"] = protected
    data["derived"] = derived
    if not data["origin"]:
        error("origin", _("Say where the person comes from"))
    origin_region = _text(raw.get("origin_region"), 12)
    if origin_region and not origin_region.isdigit():
        error("origin_region", _("An area code has digits only"))
    data["origin_region"] = origin_region or resolve_region(data["origin"])
    if prefill:
        data["temperature"] = None
        data["outcome"] = ""
    else:
        try:
            data["temperature"] = parse_temperature(raw.get("temperature"))
        except ValidationError as exc:
            error("temperature", exc.messages[0])
            data["temperature"] = None
        outcome = _text(raw.get("outcome"), 20) or Outcome.PASS
        if outcome not in Outcome.values:
            error("outcome", _("Choose an outcome"))
        if data["temperature"] is not None and is_fever(data["temperature"]):
            # A fever goes to the fever clinic whatever was tapped.
            outcome = Outcome.FEVER_REFERRAL
        data["outcome"] = outcome
    code = _text(raw.get("destination_area"), 20)
    if isinstance(raw.get("destination_area"), Area):
        code = raw["destination_area"].code
    address = _text(raw.get("destination_address"), 201)
    data["destination_area"], data["destination_address"] = None, address
    if len(address) > 200:
        error("destination_address", _("At most %(max)d characters") % {"max": 200})
    elif code or address:
        try:
            data["destination_area"], data["destination_address"] = check_destination(
                code, address, areas
            )
        except ValidationError as exc:
            error("destination_area", exc.messages[0])
    elif prefill or data["outcome"] == Outcome.PASS:
        error(
            "destination_area",
            _("Choose a village or grid of the district, or enter an address outside it"),
        )
    return data, errors


def clean_vehicle(
    *,
    plate: str,
    vehicle_kind: str,
    occupants: list[dict],
    today: datetime.date,
    prefill: bool = False,
) -> tuple[dict, list[dict]]:
    """The vehicle and its occupants checked; raises one ValidationError with every error."""
    errors: dict[str, list[str]] = {}
    vehicle: dict[str, Any] = {"plate": "", "plate_region": "", "vehicle_kind": vehicle_kind}
    if vehicle_kind not in VehicleCheck.VehicleKind.values:
        errors["vehicle_kind"] = [_("Choose the kind of vehicle")]
    plate = (plate or "").strip()
    if plate or vehicle_kind in PLATED:
        try:
            parsed = parse_plate(plate)
            vehicle["plate"] = parsed.number
            vehicle["plate_region"] = parsed.region_name
        except ValidationError as exc:
            errors["plate"] = exc.messages
    if not occupants:
        errors["occupants"] = [_("Register at least one person")]
    elif len(occupants) > MAX_OCCUPANTS:
        errors["occupants"] = [_("At most %(max)d persons a vehicle") % {"max": MAX_OCCUPANTS}]
        occupants = []
    areas = destination_areas(o.get("destination_area") for o in occupants)
    cleaned = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(occupants):
        data, occupant_errors = clean_occupant(
            raw, index=index, areas=areas, today=today, prefill=prefill
        )
        digest = data["protected"].id_number_hash if data["protected"] else ""
        if digest:
            first = seen.setdefault(digest, index)
            if first != index:
                occupant_errors.setdefault(f"occupants.{index}.id_number", []).append(
                    _("The same ID number is already person %(n)d of this vehicle")
                    % {"n": first + 1}
                )
        errors.update(occupant_errors)
        cleaned.append(data)
    if errors:
        raise ValidationError(errors)
    if cleaned and not any(o["is_driver"] for o in cleaned) and vehicle_kind in PLATED:
        # The first person named is the driver unless another was marked.
        cleaned[0]["is_driver"] = True
    return vehicle, cleaned


# -- registering a vehicle -------------------------------------------------------------------


def _stored_key(actor, key: str | None) -> str | None:
    """A client's key, namespaced by its user: two phones cannot collide or replay another's."""
    if key is None or key == "":
        return None
    if not IDEMPOTENCY_KEY.match(key):
        raise ValidationError(
            {
                "idempotency_key": _(
                    "An idempotency key has 1 to 48 letters, digits, dots, dashes or colons"
                )
            }
        )
    return f"{actor.pk if actor is not None else 0}:{key}"


def _replayed(stored_key: str | None) -> VehicleCheck | None:
    if not stored_key:
        return None
    vehicle = (
        VehicleCheck.objects.filter(idempotency_key=stored_key)
        .select_related("checkpoint", "shift")
        .prefetch_related("occupants__destination_area")
        .first()
    )
    if vehicle is not None:
        vehicle.created = False
    return vehicle


def check_register_permission(actor, checkpoint: Checkpoint) -> None:
    """The actor works where the checkpoint is; staff limited to their checkpoints are
    assigned to this one (see selectors.assigned_only)."""
    if actor is None:
        return
    if not is_within(checkpoint.area_id, actor.scope_id):
        raise ValidationError({"checkpoint": _("This checkpoint is outside your scope")})
    if (
        assigned_only(actor)
        and getattr(checkpoint, "on_duty_user", None) != actor.pk
        and not checkpoint.staff.filter(pk=actor.pk).exists()
    ):
        raise ValidationError({"checkpoint": _("You are not on duty at this checkpoint")})


def vehicle_register(
    *,
    actor,
    checkpoint: Checkpoint,
    plate: str,
    vehicle_kind: str,
    occupants: list[dict],
    idempotency_key: str | None = None,
    checked_at: datetime.datetime | None = None,
    direction: str = VehicleCheck.Direction.IN,
    prefill: Prefill | None = None,
) -> VehicleCheck:
    """Register a vehicle and every occupant; returns the VehicleCheck.

    `occupants` are dicts with the keys of OCCUPANT_KEYS (temperature as a number or text,
    destination_area as an area code). The returned object's `created` is False when the
    idempotency key was seen before: the stored check is returned and nothing is written.
    Two requests with the same key at once: the unique key decides, the loser returns the
    winner's check.
    """
    stored_key = _stored_key(actor, idempotency_key)
    try:
        check_register_permission(actor, checkpoint)
        if not checkpoint.is_open:
            raise ValidationError({"checkpoint": _("This checkpoint is closed")})
        now = timezone.now()
        checked_at = checked_at or now
        if checked_at > now + CLOCK_SKEW:
            raise ValidationError({"checked_at": _("The time cannot be in the future")})
        if direction not in VehicleCheck.Direction.values:
            raise ValidationError({"direction": _("Choose a direction")})
        vehicle_data, cleaned = clean_vehicle(
            plate=plate,
            vehicle_kind=vehicle_kind,
            occupants=occupants,
            today=timezone.localdate(checked_at),
        )
        with transaction.atomic():
            vehicle = _write(
                actor=actor,
                checkpoint=checkpoint,
                vehicle_data=vehicle_data,
                occupants=cleaned,
                stored_key=stored_key,
                checked_at=checked_at,
                direction=direction,
                prefill=prefill,
            )
    except (ValidationError, IntegrityError):
        # A retry of a check already stored: its key is taken (the unique index also waits
        # for a concurrent request with the same key to commit). It answers with the stored
        # check even where the checks would now fail (the checkpoint closed since, say).
        # Looking the key up only here spares the first request a query.
        replay = _replayed(stored_key)
        if replay is None:
            raise
        return replay
    vehicle.created = True
    return vehicle


def _known_persons(digests: list[str]) -> dict[str, Person]:
    digests = [d for d in digests if d]
    if not digests:
        return {}
    persons = Person.objects.filter(id_number_hash__in=digests).only(
        "pk", "id_number_hash", "phone_encrypted", "phone_hash", "phone_masked"
    )
    return {p.id_number_hash: p for p in persons}


def _with_known_phone(protected: ProtectedValues, person: Person | None) -> ProtectedValues:
    # A known person's stored phone stands in for one the staff did not type.
    if person is None or protected.phone_hash or not person.phone_hash:
        return protected
    return protected._replace(
        phone_encrypted=person.phone_encrypted,
        phone_hash=person.phone_hash,
        phone_masked=person.phone_masked,
    )


def _write(
    *,
    actor,
    checkpoint,
    vehicle_data,
    occupants,
    stored_key,
    checked_at,
    direction,
    prefill,
) -> VehicleCheck:
    shift, duty_date = shift_at(list(checkpoint.shifts.all()), checked_at)
    vehicle = VehicleCheck(
        checkpoint=checkpoint,
        area_id=checkpoint.area_id,
        shift=shift,
        duty_date=duty_date,
        checked_at=checked_at,
        direction=direction,
        turned_back=all(o["outcome"] == Outcome.TURNED_BACK for o in occupants),
        idempotency_key=stored_key,
        recorded_by=actor,
        **vehicle_data,
    )
    # First write of the transaction: a concurrent request with the same key stops here.
    vehicle.save()
    known = _known_persons([o["protected"].id_number_hash for o in occupants])
    registrations = []
    for data in occupants:
        person = known.get(data["protected"].id_number_hash)
        registration = Registration(
            vehicle=vehicle,
            area_id=checkpoint.area_id,
            checked_at=checked_at,
            person=person,
            sex=data["derived"].get("sex", ""),
            birth_date=data["derived"].get("birth_date"),
            native_region=data["derived"].get("native_region", ""),
            **{
                key: data[key]
                for key in (
                    "name",
                    "is_driver",
                    "origin",
                    "origin_region",
                    "travel_history",
                    "from_risk_area",
                    "case_contact",
                    "temperature",
                    "notice_given",
                    "destination_area",
                    "destination_address",
                    "outcome",
                    "flagged",
                    "note",
                )
            },
        )
        registration.set_identity(_with_known_phone(data["protected"], person))
        registration.full_clean(exclude=["vehicle", "person", "destination_area", "area"])
        registrations.append(registration)
    # Who is pushed is decided before the insert, so the rows are written once.
    rules = PushRules(
        district=district_code(),
        origin_regions=[r.origin_region for r in registrations if r.outcome == Outcome.PASS],
    )
    for registration in registrations:
        registration.reasons = _reasons(rules, registration)
        registration.pushed = bool(
            registration.destination_area_id
            and registration.outcome == Outcome.PASS
            and registration.reasons
        )
    Registration.objects.bulk_create(registrations)
    if registrations and registrations[0].pk is None:
        # A backend that does not return keys from a bulk insert.
        stored = list(vehicle.occupants.order_by("id"))
        for registration, row in zip(registrations, stored, strict=True):
            registration.pk = row.pk
    pushes = [_follow_up(checkpoint, vehicle, registration) for registration in registrations]
    pushes_create(actor=actor, pushes=[push for push in pushes if push is not None])
    if prefill is not None:
        _prefill_use(prefill, vehicle)
    vehicle._occupants = registrations
    return vehicle


def _protected(registration: Registration) -> ProtectedValues:
    return ProtectedValues(
        **{name: getattr(registration, name) for name in ProtectedValues._fields}
    )


def _reasons(rules: PushRules, registration: Registration) -> list[str]:
    if registration.outcome != Outcome.PASS:
        return []
    # Contact with cases is a reason to watch whatever the origin: staff need not tick both.
    return rules.reasons(
        origin_region=registration.origin_region,
        flagged=registration.flagged or registration.case_contact,
        from_risk_area=registration.from_risk_area,
    )


def _follow_up(checkpoint, vehicle, registration: Registration) -> dict | None:
    """Alert or outbound notice for one registration; the push to make, if any (pushes
    are written together, see ledger.services.pushes_create)."""
    if registration.outcome == Outcome.FEVER_REFERRAL:
        alert_raise(
            area=checkpoint.area_id,
            kind="checkpoint_fever",
            level=2,
            subject_name=registration.name,
            detail=" ".join(filter(None, [checkpoint.name, vehicle.plate, registration.origin])),
            temperature=registration.temperature,
            source_type="checkpoint_registration",
            source_id=registration.pk,
        )
        return None
    if registration.outcome != Outcome.PASS:
        return None
    if registration.pushed:
        return {
            "area": registration.destination_area,
            "source": Push.Source.CHECKPOINT,
            "name": registration.name,
            "protected": _protected(registration),
            "derived": {
                "sex": registration.sex,
                "birth_date": registration.birth_date,
                "native_region": registration.native_region,
            },
            "arrived_at": registration.checked_at,
            "district": district_code(),
            "origin": registration.origin,
            "origin_region": registration.origin_region,
            "reasons": registration.reasons,
            "source_type": "checkpoint_registration",
            "source_id": registration.pk,
            "note": registration.travel_history,
        }
    if not registration.destination_area_id and registration.destination_address:
        outbound_create(
            area=checkpoint.area_id,
            name=registration.name,
            protected=_protected(registration),
            destination=registration.destination_address,
            destination_region=resolve_region(registration.destination_address),
            passed_at=registration.checked_at,
            origin=registration.origin,
            reasons=registration.reasons,
            source_type="checkpoint_registration",
            source_id=registration.pk,
        )
    return None


# -- pre-filled entries (the traveller's own phone) -------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(PREFILL_CODE_ALPHABET) for _ in range(PREFILL_CODE_LENGTH))


def _payload(vehicle_data: dict, occupants: list[dict], raw: list[dict]) -> str:
    people = []
    for data, given in zip(occupants, raw, strict=True):
        people.append(
            {
                "name": data["name"],
                "id_number": data["id_number"],
                "phone": data["phone"],
                "origin": data["origin"],
                "origin_region": data["origin_region"],
                "travel_history": data["travel_history"],
                "from_risk_area": data["from_risk_area"],
                "case_contact": data["case_contact"],
                "destination_area": data["destination_area"].code
                if data["destination_area"]
                else "",
                "destination_area_name": data["destination_area"].name
                if data["destination_area"]
                else "",
                "destination_address": data["destination_address"],
                "is_driver": bool(given.get("is_driver")),
                "note": data["note"],
            }
        )
    return pii.encrypt(
        json.dumps(
            {
                "plate": vehicle_data["plate"],
                "vehicle_kind": vehicle_data["vehicle_kind"],
                "occupants": people,
            },
            ensure_ascii=False,
        )
    )


@transaction.atomic
def prefill_create(
    *,
    checkpoint: Checkpoint,
    plate: str,
    vehicle_kind: str,
    occupants: list[dict],
    now: datetime.datetime | None = None,
) -> Prefill:
    """Keep a traveller's own entry for the staff to confirm; no login, so nothing but the
    entry is written (no push, no person): the registration does that."""
    now = now or timezone.now()
    if not checkpoint.is_open:
        raise ValidationError({"checkpoint": _("This checkpoint is closed")})
    for raw in occupants:
        for key in ("temperature", "outcome", "flagged", "notice_given"):
            raw.pop(key, None)
    vehicle_data, cleaned = clean_vehicle(
        plate=plate,
        vehicle_kind=vehicle_kind,
        occupants=occupants,
        today=timezone.localdate(now),
        prefill=True,
    )
    prefill = Prefill(
        checkpoint=checkpoint,
        area_id=checkpoint.area_id,
        plate=vehicle_data["plate"],
        name=cleaned[0]["name"],
        occupant_count=len(cleaned),
        data_encrypted=_payload(vehicle_data, cleaned, occupants),
        expires_at=now + datetime.timedelta(hours=PREFILL_HOURS),
    )
    prefill.set_identity(cleaned[0]["protected"])
    for _attempt in range(5):
        prefill.code = _new_code()
        try:
            with transaction.atomic():
                prefill.save()
            break
        except IntegrityError:
            # 32^6 codes: a clash is rare, and the next draw settles it.
            prefill.pk = None
    else:
        raise RuntimeError("no free pre-fill code")
    # Expired entries are deleted as new ones come in (nothing else needs them).
    Prefill.objects.filter(expires_at__lt=now).delete()
    return prefill


def prefill_data(prefill: Prefill) -> dict:
    """The decrypted entry: {"plate", "vehicle_kind", "occupants": [...]}."""
    return json.loads(pii.decrypt(prefill.data_encrypted))


def _prefill_use(prefill: Prefill, vehicle: VehicleCheck) -> None:
    locked = Prefill.objects.select_for_update().get(pk=prefill.pk)
    if locked.used_at is not None:
        raise ValidationError({"prefill": _("This pre-filled entry was already registered")})
    locked.used_at = timezone.now()
    locked.vehicle = vehicle
    locked.save(update_fields=["used_at", "vehicle"])


def prefill_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete expired pre-filled entries; returns how many."""
    deleted, _detail = Prefill.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
