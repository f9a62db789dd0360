"""Every change to isolation sites, transfers, stays and daily services.

The guarantees live here: a room never holds more persons than it has beds, even when two
staff check people into it at once (the room row is locked while its open stays are counted);
a person has one open stay (a partial unique constraint backs the check); a check-in makes
the key person's measure centralized isolation in the same transaction, through the ledger's
service, so the ledger's timeline records it; a daily service is one row per person and day,
written field by field so two staff ticking different items do not undo each other.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core.models import Area
from fangkong.core.scope import require_within
from fangkong.isolation.models import DailyService, Room, Site, Stay, Transfer
from fangkong.ledger.models import KeyPerson, Measure
from fangkong.ledger.services import keyperson_change_measure

# 鲁C12345, 鲁CD12345 (new energy), 鲁C1234学: province, issuing letter, five or six more.
PLATE_RE = re.compile(
    r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
    r"[A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]$"
)


def normalize_plate(value: str) -> str:
    """ "鲁c 12345" and "鲁C·12345" are both 鲁C12345."""
    return re.sub(r"[\s·.\-]", "", value or "").upper()


def check_plate(value: str) -> str:
    plate = normalize_plate(value)
    if not PLATE_RE.match(plate):
        raise _error("vehicle_plate", _("Enter a plate number such as 鲁C12345"), "plate")
    return plate


def _error(field: str, message: str, code: str) -> ValidationError:
    """A field's error with a code a client (or a test) can branch on."""
    return ValidationError({field: ValidationError(message, code=code)})


def _check_not_future(field: str, value: datetime.datetime | None, now: datetime.datetime):
    if value is not None and value > now + datetime.timedelta(minutes=5):
        # Five minutes of slack for a phone whose clock runs ahead.
        raise ValidationError({field: _("The time cannot be in the future")})


# -- sites and rooms ------------------------------------------------------------------------


SITE_FIELDS = ("name", "address", "contact_name", "contact_phone", "active")


@transaction.atomic
def site_create(
    *,
    actor,
    area: Area,
    name: str,
    address: str,
    contact_name: str = "",
    contact_phone: str = "",
    active: bool = True,
) -> Site:
    require_within(actor, area.code)
    site = Site(
        area=area,
        name=name.strip(),
        address=address.strip(),
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        active=active,
    )
    _check_site_area(area)
    site.full_clean()
    site.save()
    return site


def _check_site_area(area: Area) -> None:
    if area.level < Area.Level.TOWN:
        raise ValidationError({"area": _("Choose the town or village where the site is")})


@transaction.atomic
def site_update(
    *,
    actor,
    site: Site,
    area: Area,
    name: str,
    address: str,
    contact_name: str = "",
    contact_phone: str = "",
    active: bool = True,
) -> Site:
    site = Site.objects.select_for_update().get(pk=site.pk)
    require_within(actor, site.area_id)
    require_within(actor, area.code)
    _check_site_area(area)
    if area.code != site.area_id and site.stays.filter(checked_out_at__isnull=True).exists():
        # Open stays and their services carry the site's area: moving it would hide them.
        raise ValidationError({"area": _("Check everyone out before moving the site")})
    site.area = area
    site.name = name.strip()
    site.address = address.strip()
    site.contact_name = contact_name.strip()
    site.contact_phone = contact_phone.strip()
    site.active = active
    site.full_clean()
    site.save()
    return site


@transaction.atomic
def room_create(*, actor, site: Site, number: str, beds: int, in_service: bool = True) -> Room:
    require_within(actor, site.area_id)
    number = number.strip()
    if Room.objects.filter(site=site, number=number).exists():
        raise ValidationError({"number": _("This site already has a room with this number")})
    room = Room(site=site, number=number, beds=beds, in_service=in_service)
    if not beds or beds < 1:
        raise ValidationError({"beds": _("A room has at least one bed")})
    room.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            room.save()
    except IntegrityError:
        raise ValidationError(
            {"number": _("This site already has a room with this number")}
        ) from None
    return room


@transaction.atomic
def room_update(*, actor, room: Room, beds: int, in_service: bool) -> Room:
    room = Room.objects.select_for_update().select_related("site").get(pk=room.pk)
    require_within(actor, room.site.area_id)
    if not beds or beds < 1:
        raise ValidationError({"beds": _("A room has at least one bed")})
    occupied = room.stays.filter(checked_out_at__isnull=True).count()
    if beds < occupied:
        raise ValidationError(
            {"beds": _("%(count)d persons stay in this room now") % {"count": occupied}}
        )
    if not in_service and occupied:
        raise ValidationError(
            {"in_service": _("Check the persons in this room out before closing it")}
        )
    room.beds = beds
    room.in_service = in_service
    room.full_clean(validate_unique=False)
    room.save(update_fields=["beds", "in_service"])
    return room


# -- transfers ------------------------------------------------------------------------------


def _check_key_person(actor, key_person: KeyPerson) -> None:
    if (
        actor is not None
        and not KeyPerson.objects.for_user(actor).filter(pk=key_person.pk).exists()
    ):
        raise ValidationError({"key_person": _("This person is outside your scope")})
    if not key_person.is_open:
        raise ValidationError({"key_person": _("The person is no longer under management")})


def _check_disinfection(disinfected: bool, disinfected_at, arrived_at, now) -> None:
    if disinfected_at is not None and not disinfected:
        raise ValidationError({"disinfected": _("Tick the disinfection to give its time")})
    if disinfected and disinfected_at is None:
        raise ValidationError({"disinfected_at": _("When was the vehicle disinfected?")})
    _check_not_future("disinfected_at", disinfected_at, now)
    if disinfected_at is not None and arrived_at is not None and disinfected_at < arrived_at:
        # 一运一消毒: the vehicle is disinfected after the trip.
        raise ValidationError({"disinfected_at": _("The vehicle is disinfected after arrival")})


def _check_vehicle_free(plate: str, departed_at, arrived_at, now, exclude_pk=None) -> None:
    """一人一车: a vehicle carries one person per trip, so two trips of it cannot overlap.

    A trip without an arrival is still under way.
    """
    trips = Transfer.objects.filter(vehicle_plate=plate)
    if exclude_pk is not None:
        trips = trips.exclude(pk=exclude_pk)
    end = arrived_at or now
    overlapping = trips.filter(departed_at__lte=end).filter(
        Q(arrived_at__isnull=True) | Q(arrived_at__gt=departed_at)
    )
    if overlapping.exists():
        raise _error(
            "vehicle_plate",
            _("This vehicle is on another trip at that time (one person per vehicle)"),
            "vehicle_busy",
        )


@transaction.atomic
def transfer_create(
    *,
    actor,
    key_person: KeyPerson,
    site: Site,
    pickup_address: str,
    vehicle_plate: str,
    driver: str,
    escort: str = "",
    departed_at: datetime.datetime,
    arrived_at: datetime.datetime | None = None,
    disinfected: bool = False,
    disinfected_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> Transfer:
    now = now or timezone.now()
    require_within(actor, site.area_id)
    key_person = KeyPerson.objects.select_for_update().get(pk=key_person.pk)
    _check_key_person(actor, key_person)
    if not site.active:
        raise ValidationError({"site": _("This site is not in use")})
    plate = check_plate(vehicle_plate)
    _check_not_future("departed_at", departed_at, now)
    _check_not_future("arrived_at", arrived_at, now)
    if arrived_at is not None and arrived_at < departed_at:
        raise ValidationError({"arrived_at": _("The arrival is before the departure")})
    _check_disinfection(disinfected, disinfected_at, arrived_at, now)
    if not driver.strip():
        raise ValidationError({"driver": _("Who drove?")})
    _check_vehicle_free(plate, departed_at, arrived_at, now)
    transfer = Transfer(
        key_person=key_person,
        site=site,
        area_id=site.area_id,
        pickup_address=pickup_address.strip(),
        vehicle_plate=plate,
        driver=driver.strip(),
        escort=escort.strip(),
        departed_at=departed_at,
        arrived_at=arrived_at,
        disinfected=disinfected,
        disinfected_at=disinfected_at,
        recorded_by=actor,
    )
    transfer.full_clean()
    transfer.save()
    return transfer


@transaction.atomic
def transfer_complete(
    *,
    actor,
    transfer: Transfer,
    arrived_at: datetime.datetime | None,
    disinfected: bool,
    disinfected_at: datetime.datetime | None,
    now: datetime.datetime | None = None,
) -> Transfer:
    """Record the arrival and the vehicle's disinfection of a transfer."""
    now = now or timezone.now()
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    require_within(actor, transfer.area_id)
    _check_not_future("arrived_at", arrived_at, now)
    if arrived_at is not None and arrived_at < transfer.departed_at:
        raise ValidationError({"arrived_at": _("The arrival is before the departure")})
    if transfer.arrived_at is not None and arrived_at is None:
        raise ValidationError({"arrived_at": _("The arrival is recorded already")})
    _check_disinfection(disinfected, disinfected_at, arrived_at, now)
    if arrived_at != transfer.arrived_at:
        _check_vehicle_free(
            transfer.vehicle_plate, transfer.departed_at, arrived_at, now, exclude_pk=transfer.pk
        )
    transfer.arrived_at = arrived_at
    transfer.disinfected = disinfected
    transfer.disinfected_at = disinfected_at
    transfer.full_clean()
    transfer.save(update_fields=["arrived_at", "disinfected", "disinfected_at"])
    return transfer


# -- stays ----------------------------------------------------------------------------------


def _already_in() -> ValidationError:
    return _error(
        "key_person",
        _("This person is checked in at an isolation site already"),
        "already_checked_in",
    )


@transaction.atomic
def stay_check_in(
    *,
    actor,
    key_person: KeyPerson,
    site: Site,
    room: Room,
    transfer: Transfer | None = None,
    now: datetime.datetime | None = None,
) -> Stay:
    """Give the person a bed in `room` and make their measure centralized isolation."""
    now = now or timezone.now()
    require_within(actor, site.area_id)
    # The room row is the lock: every check-in into it waits here, then counts.
    room = Room.objects.select_for_update().get(pk=room.pk)
    if room.site_id != site.pk:
        raise ValidationError({"room": _("Choose a room of this site")})
    if not site.active:
        raise ValidationError({"site": _("This site is not in use")})
    if not room.in_service:
        raise ValidationError({"room": _("This room is not in service")})
    _check_key_person(actor, key_person)
    if Stay.objects.filter(key_person=key_person, checked_out_at__isnull=True).exists():
        raise _already_in()
    occupied = Stay.objects.filter(room=room, checked_out_at__isnull=True).count()
    if occupied >= room.beds:
        raise _error("room", _("This room has no free bed"), "room_full")
    if transfer is not None and (
        transfer.key_person_id != key_person.pk or transfer.site_id != site.pk
    ):
        raise ValidationError({"transfer": _("This transfer brought someone else")})
    stay = Stay(
        key_person=key_person,
        site=site,
        room=room,
        area_id=site.area_id,
        checked_in_at=now,
        transfer=transfer,
        checked_in_by=actor,
    )
    stay.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            stay.save()
    except IntegrityError:
        # Checked in elsewhere (another room's lock) between the check and the insert.
        raise _already_in() from None
    keyperson_change_measure(
        actor=actor,
        key_person=key_person,
        measure=Measure.CENTRAL_ISOLATION,
        reason=_("checked in at %(site)s, room %(room)s") % {"site": site.name, "room": room},
    )
    return stay


@transaction.atomic
def stay_check_out(
    *,
    actor,
    stay: Stay,
    reason: str,
    measure: str = "",
    now: datetime.datetime | None = None,
) -> Stay:
    """The person leaves the site; `measure`, if given, is their measure from now on
    (back home for health monitoring, say) while they stay under management."""
    now = now or timezone.now()
    stay = Stay.objects.select_for_update().select_related("key_person").get(pk=stay.pk)
    require_within(actor, stay.area_id)
    if stay.checked_out_at is not None:
        raise ValidationError(_("This person was checked out already"), code="already_checked_out")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the person leaves")})
    if measure and measure not in Measure.values:
        raise ValidationError({"measure": _("Choose a measure")})
    stay.checked_out_at = now
    stay.checkout_reason = reason[:200]
    stay.checked_out_by = actor
    stay.save(update_fields=["checked_out_at", "checkout_reason", "checked_out_by"])
    if measure and stay.key_person.is_open:
        keyperson_change_measure(
            actor=actor,
            key_person=stay.key_person,
            measure=measure,
            reason=_("checked out: %(reason)s") % {"reason": reason},
        )
    return stay


# -- daily services -------------------------------------------------------------------------


@transaction.atomic
def dailyservice_record(
    *,
    actor,
    stay: Stay,
    date: datetime.date,
    items: dict[str, bool],
    note: str | None = None,
    today: datetime.date | None = None,
) -> DailyService:
    """Set some of the six items of `stay` on `date`; items not given keep their value."""
    today = today or timezone.localdate()
    unknown = set(items) - set(DailyService.ITEMS)
    if unknown:
        raise ValidationError({"item": _("Unknown service item")})
    require_within(actor, stay.area_id)
    if date > today:
        raise ValidationError({"date": _("The date cannot be in the future")})
    checked_in = timezone.localdate(stay.checked_in_at)
    checked_out = timezone.localdate(stay.checked_out_at) if stay.checked_out_at else None
    if date < checked_in or (checked_out is not None and date > checked_out):
        raise _error(
            "date", _("The person was not checked in at this site on that day"), "not_checked_in"
        )
    service = _service_row(stay, date, actor)
    changed = []
    for item, value in items.items():
        if getattr(service, item) != bool(value):
            setattr(service, item, bool(value))
            changed.append(item)
    if note is not None and note.strip() != service.note:
        service.note = note.strip()[:300]
        changed.append("note")
    if changed:
        service.recorded_by = actor
        service.save(update_fields=[*changed, "recorded_by"])
    return service


def _service_row(stay: Stay, date: datetime.date, actor) -> DailyService:
    """The day's row, locked; created when missing (a concurrent creation is re-read)."""
    rows = DailyService.objects.select_for_update().filter(stay=stay, date=date)
    service = rows.first()
    if service is not None:
        return service
    try:
        with transaction.atomic():
            return DailyService.objects.create(
                stay=stay, area_id=stay.area_id, date=date, recorded_by=actor
            )
    except IntegrityError:
        return rows.get()
