"""Every write to households and persons: forms, API, imports and the demo all call these."""

import datetime
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core import pii
from fangkong.core.idcard import normalize as normalize_id_number
from fangkong.core.idcard import parse_id_number
from fangkong.core.models import AccessLog, Area
from fangkong.core.phone import normalize_phone
from fangkong.core.pinyin import search_key
from fangkong.core.scope import is_within
from fangkong.core.services import Origin, access_log_record
from fangkong.people.models import Household, Person

PERSON_FIELDS = (
    "name",
    "sex",
    "birth_date",
    "address",
    "relation",
    "occupation",
    "workplace",
    "note",
)


def _check_area(area: Area, actor) -> None:
    # The form or import already offers only areas in scope; this stops a forged request.
    if actor is not None and not is_within(area.code, actor.scope_id):
        raise ValidationError({"area": _("This area is outside your scope")})
    if area.level < Area.Level.VILLAGE:
        raise ValidationError({"area": _("Choose a village, community or grid")})


def _check_household(household: Household | None, area: Area) -> None:
    # A household belongs to one village; its members are registered in the same village.
    if household is not None and household.area_id[:12] != area.code[:12]:
        raise ValidationError({"household": _("The household is in another village")})


class ProtectedValues(NamedTuple):
    """Encrypted, hashed and masked forms of one person's identifiers (a tuple: an import
    makes one per row)."""

    id_number_encrypted: str = ""
    id_number_hash: str = ""
    id_number_masked: str = ""
    phone_encrypted: str = ""
    phone_hash: str = ""
    phone_masked: str = ""


def person_protect(
    *, id_number: str, phone: str, today: datetime.date | None = None
) -> tuple[ProtectedValues, dict]:
    """Validate the identifiers and derive what the ID number tells (sex, birth, region).

    Returns the protected values and the derived fields; raises ValidationError keyed by field.
    Shared by the form path and the bulk import, which is why it does no database work; the
    import passes `today` once for the whole file.
    """
    errors = {}
    derived: dict = {}
    id_number = normalize_id_number(id_number)
    if id_number:
        try:
            info = parse_id_number(id_number, today=today)
            derived = {
                "sex": info.sex,
                "birth_date": info.birth_date,
                "native_region": info.region_code,
            }
        except ValidationError as exc:
            errors["id_number"] = exc.messages
    if phone and phone.strip():
        try:
            phone = normalize_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    else:
        phone = ""
    if errors:
        raise ValidationError(errors)
    return (
        ProtectedValues(
            id_number_encrypted=pii.encrypt(id_number),
            id_number_hash=pii.digest(id_number),
            id_number_masked=pii.mask_id_number(id_number),
            phone_encrypted=pii.encrypt(phone),
            phone_hash=pii.digest(phone),
            phone_masked=pii.mask_phone(phone),
        ),
        derived,
    )


def _apply(person: Person, *, protected: ProtectedValues, derived: dict, fields: dict) -> None:
    for name, value in fields.items():
        setattr(person, name, value)
    for name, value in derived.items():
        setattr(person, name, value)
    for name, value in protected._asdict().items():
        setattr(person, name, value)
    person.name_pinyin = search_key(person.name)


def _check_birth_date(person: Person) -> None:
    # Without an ID number the birth date is typed by hand; it must still be possible.
    if person.birth_date and person.birth_date > timezone.localdate():
        raise ValidationError({"birth_date": _("Birth date cannot be in the future")})


def _save_unique(person: Person) -> None:
    # The unique ID-number constraint is left to the insert: checked here as well, a clerk
    # who loses the race to a colleague got Django's "约束 … 是无效的" instead of the message
    # naming the ID number (_check_duplicate covers the common case).
    person.full_clean(
        exclude=["household"] if person.household_id is None else None,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        # Two clerks entering the same person at once: the unique hash decides.
        raise ValidationError(
            {"id_number": _("A person with this ID number is already registered")}
        ) from None


def _check_duplicate(person: Person) -> None:
    if not person.id_number_hash:
        return
    clash = Person.objects.filter(id_number_hash=person.id_number_hash).exclude(pk=person.pk)
    if clash.exists():
        raise ValidationError(
            {"id_number": _("A person with this ID number is already registered")}
        )


@transaction.atomic
def person_create(
    *,
    actor,
    area: Area,
    name: str,
    id_number: str = "",
    phone: str = "",
    household: Household | None = None,
    **fields,
) -> Person:
    _check_area(area, actor)
    _check_household(household, area)
    protected, derived = person_protect(id_number=id_number, phone=phone)
    person = Person(area=area, household=household, created_by=actor)
    _apply(
        person,
        protected=protected,
        derived=derived,
        fields={"name": name.strip(), **_only_person_fields(fields)},
    )
    _check_birth_date(person)
    _check_duplicate(person)
    _save_unique(person)
    return person


@transaction.atomic
def person_update(
    *,
    actor,
    person: Person,
    area: Area,
    name: str,
    id_number: str | None = None,
    phone: str | None = None,
    household: Household | None = None,
    **fields,
) -> Person:
    """Update a person; `id_number`/`phone` of None keep the stored value unchanged."""
    _check_area(area, actor)
    _check_household(household, area)
    person = Person.objects.select_for_update().get(pk=person.pk)
    protected, derived = person_protect(
        id_number=id_number if id_number is not None else person_reveal_value(person, "id_number"),
        phone=phone if phone is not None else person_reveal_value(person, "phone"),
    )
    person.area = area
    person.household = household
    _apply(
        person,
        protected=protected,
        derived=derived,
        fields={"name": name.strip(), **_only_person_fields(fields)},
    )
    _check_birth_date(person)
    _check_duplicate(person)
    _save_unique(person)
    return person


def _only_person_fields(fields: dict) -> dict:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}


def person_reveal_value(person: Person, field: str) -> str:
    """Decrypt without logging: for services that re-derive values, never for display."""
    if field == "id_number":
        return pii.decrypt(person.id_number_encrypted)
    if field == "phone":
        return pii.decrypt(person.phone_encrypted)
    raise ValueError(f"{field} is not a protected field")


@transaction.atomic
def person_reveal(*, actor, person: Person, field: str, origin: Origin) -> str:
    """The full ID number or phone for a user holding people.reveal_pii; always logged."""
    if not actor.has_perm("people.reveal_pii"):
        raise PermissionError("people.reveal_pii required")
    value = person_reveal_value(person, field)
    access_log_record(
        actor=actor,
        action=AccessLog.Action.REVEAL,
        area=person.area_id,
        target_type="person",
        target_id=str(person.pk),
        target_label=person.name,
        fields=field,
        origin=origin,
    )
    return value


@transaction.atomic
def household_create(
    *, actor, area: Area, address: str, head_name: str, number: str = "", note: str = ""
) -> Household:
    _check_area(area, actor)
    household = Household(
        area=area, address=address.strip(), head_name=head_name.strip(), number=number, note=note
    )
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def household_update(
    *,
    actor,
    household: Household,
    area: Area,
    address: str,
    head_name: str,
    number: str = "",
    note: str = "",
) -> Household:
    _check_area(area, actor)
    household = Household.objects.select_for_update().get(pk=household.pk)
    household.area = area
    household.address = address.strip()
    household.head_name = head_name.strip()
    household.number = number
    household.note = note
    household.full_clean()
    household.save()
    return household
