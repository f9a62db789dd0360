"""Reads of the checkpoints module, always narrowed to the user's scope.

Checkpoint staff (the role `checkpoint_staff`, with no other role that sees checkpoints) see
only the checkpoints they are assigned to, and those checkpoints' registrations; everyone else
holding the permissions sees every checkpoint in their scope.
"""

import datetime

from django.db import connection
from django.db.models import Count, Q, QuerySet, Value
from django.utils import timezone

from fangkong.accounts.roles import ROLES
from fangkong.checkpoints.models import Checkpoint, Outcome, Prefill, Registration, VehicleCheck
from fangkong.checkpoints.plates import normalize as normalize_plate
from fangkong.core import pii
from fangkong.core.idcard import normalize as normalize_id_number
from fangkong.core.scope import is_within, scope_filter

STAFF_ROLE = "checkpoint_staff"
_STAFF_PERMISSIONS = frozenset(ROLES[STAFF_ROLE][1])


def assigned_only(user) -> bool:
    """True for checkpoint staff, who work at the checkpoints they are assigned to: users
    whose permissions are no more than the checkpoint staff role's (any other role that
    sees checkpoints brings permissions beyond it). Read from the permission cache the
    page or API has loaded anyway, so it costs no query of its own."""
    if not user.is_authenticated or user.is_superuser:
        return False
    permissions = user.get_all_permissions()
    return "checkpoints.view_checkpoint" in permissions and permissions <= _STAFF_PERMISSIONS


def checkpoint_queryset(*, user) -> QuerySet[Checkpoint]:
    qs = Checkpoint.objects.for_user(user).select_related("area")
    if assigned_only(user):
        # The row proves the duty, so registering need not ask again (see
        # services.check_register_permission).
        qs = qs.filter(staff=user).annotate(on_duty_user=Value(user.pk))
    return qs


def checkpoint_for_registering(*, user, pk: int) -> Checkpoint | None:
    """The checkpoint `pk` if `user` may register vehicles there: in their scope and, for
    assigned staff, on duty there; None otherwise (unknown or not theirs alike).

    One plain query answers both: under load the scoped ORM lookup cost a sixth of a
    registration request's CPU time (issue 3's benchmark).
    """
    qn = connection.ops.quote_name
    staff = qn(Checkpoint.staff.through._meta.db_table)
    sql = (
        f"SELECT c.*, EXISTS (SELECT 1 FROM {staff} s "  # noqa: S608 - names from models
        f"WHERE s.checkpoint_id = c.id AND s.user_id = %s) AS on_duty "
        f"FROM {qn(Checkpoint._meta.db_table)} c WHERE c.id = %s"
    )
    checkpoint = next(iter(Checkpoint.objects.raw(sql, [user.pk, pk])), None)
    if checkpoint is None or not is_within(checkpoint.area_id, user.scope_id):
        return None
    if assigned_only(user) and not checkpoint.on_duty:
        return None
    checkpoint.on_duty_user = user.pk if checkpoint.on_duty else None
    return checkpoint


def checkpoint_list(*, user, q: str = "", area: str = "", is_open: bool | None = None):
    qs = checkpoint_queryset(user=user)
    if area:
        qs = qs.filter(scope_filter("area", area))
    if q:
        qs = qs.filter(Q(name__contains=q.strip()) | Q(location__contains=q.strip()))
    if is_open is not None:
        qs = qs.filter(is_open=is_open)
    return qs.order_by("level", "area_id", "name")


def _visible_checkpoint_ids(user) -> list[int] | None:
    """The checkpoints an assigned-only user may see; None for everyone else."""
    if not assigned_only(user):
        return None
    return list(checkpoint_queryset(user=user).values_list("pk", flat=True))


def vehiclecheck_queryset(*, user) -> QuerySet[VehicleCheck]:
    qs = VehicleCheck.objects.for_user(user).select_related("checkpoint", "shift")
    ids = _visible_checkpoint_ids(user)
    if ids is not None:
        qs = qs.filter(checkpoint_id__in=ids)
    return qs


def registration_queryset(*, user) -> QuerySet[Registration]:
    qs = Registration.objects.for_user(user).select_related(
        "vehicle", "vehicle__checkpoint", "destination_area"
    )
    ids = _visible_checkpoint_ids(user)
    if ids is not None:
        qs = qs.filter(vehicle__checkpoint_id__in=ids)
    return qs


def _day_bounds(date_from, date_to):
    tz = timezone.get_current_timezone()
    start = end = None
    if date_from:
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
    if date_to:
        end = datetime.datetime.combine(
            date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
    return start, end


def _search(text: str) -> Q:
    """A full ID number or phone (exact, through the keyed hash), a plate, or a name."""
    text = text.strip()
    compact = normalize_id_number(text)
    if len(compact) == 18:
        return Q(id_number_hash=pii.digest(compact))
    if compact.isdigit() and len(compact) >= 7:
        return Q(phone_hash=pii.digest(compact))
    if text and not text[0].isascii() and len(text) >= 3 and any(c.isdigit() for c in text):
        return Q(vehicle__plate__startswith=normalize_plate(text))
    return Q(name__startswith=text)


def registration_list(
    *,
    user,
    q: str = "",
    checkpoint: int | None = None,
    outcome: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    pushed: bool | None = None,
    area: str = "",
) -> QuerySet[Registration]:
    qs = registration_queryset(user=user)
    if area:
        qs = qs.filter(scope_filter("area", area))
    if checkpoint:
        qs = qs.filter(vehicle__checkpoint_id=checkpoint)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if pushed is not None:
        qs = qs.filter(pushed=pushed)
    start, end = _day_bounds(date_from, date_to)
    if start:
        qs = qs.filter(checked_at__gte=start)
    if end:
        qs = qs.filter(checked_at__lt=end)
    if q:
        qs = qs.filter(_search(q))
    return qs.order_by("-checked_at", "-id")


def vehiclecheck_list(
    *,
    user,
    checkpoint: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    plate: str = "",
) -> QuerySet[VehicleCheck]:
    qs = vehiclecheck_queryset(user=user)
    if checkpoint:
        qs = qs.filter(checkpoint_id=checkpoint)
    start, end = _day_bounds(date_from, date_to)
    if start:
        qs = qs.filter(checked_at__gte=start)
    if end:
        qs = qs.filter(checked_at__lt=end)
    if plate:
        qs = qs.filter(plate__startswith=normalize_plate(plate))
    return qs.order_by("-checked_at", "-id")


def occupants_of(vehicle: VehicleCheck) -> list[Registration]:
    cached = getattr(vehicle, "_occupants", None)
    if cached is not None:
        return cached
    return list(vehicle.occupants.select_related("destination_area").order_by("id"))


COUNT_KEYS = (
    "vehicles",
    "persons",
    "vehicles_back",
    "persons_back",
    "fever",
    "centralized",
    "pushes",
)


def counts(
    *,
    user,
    date_from: datetime.date,
    date_to: datetime.date,
    checkpoint: int | None = None,
) -> list[dict]:
    """Vehicles and persons checked, turned back, fever referrals, centralized, pushes per
    checkpoint, shift and duty day, newest day first. Two grouped queries whatever the
    number of registrations, plus one for the names."""
    vehicles = vehiclecheck_queryset(user=user).filter(
        duty_date__gte=date_from, duty_date__lte=date_to
    )
    persons = registration_queryset(user=user).filter(
        vehicle__duty_date__gte=date_from, vehicle__duty_date__lte=date_to
    )
    if checkpoint:
        vehicles = vehicles.filter(checkpoint_id=checkpoint)
        persons = persons.filter(vehicle__checkpoint_id=checkpoint)
    rows: dict[tuple, dict] = {}

    def row(key):
        found = rows.get(key)
        if found is None:
            found = rows[key] = {name: 0 for name in COUNT_KEYS}
            found["key"] = key
        return found

    for item in (
        vehicles.values("checkpoint_id", "shift_id", "duty_date")
        .annotate(n=Count("id"), back=Count("id", filter=Q(turned_back=True)))
        .order_by()
    ):
        entry = row((item["duty_date"], item["checkpoint_id"], item["shift_id"]))
        entry["vehicles"] = item["n"]
        entry["vehicles_back"] = item["back"]
    for item in (
        persons.values("vehicle__checkpoint_id", "vehicle__shift_id", "vehicle__duty_date")
        .annotate(
            n=Count("id"),
            back=Count("id", filter=Q(outcome=Outcome.TURNED_BACK)),
            fever=Count("id", filter=Q(outcome=Outcome.FEVER_REFERRAL)),
            centralized=Count("id", filter=Q(outcome=Outcome.CENTRALIZED)),
            pushes=Count("id", filter=Q(pushed=True)),
        )
        .order_by()
    ):
        entry = row(
            (
                item["vehicle__duty_date"],
                item["vehicle__checkpoint_id"],
                item["vehicle__shift_id"],
            )
        )
        entry["persons"] = item["n"]
        entry["persons_back"] = item["back"]
        entry["fever"] = item["fever"]
        entry["centralized"] = item["centralized"]
        entry["pushes"] = item["pushes"]
    if not rows:
        return []
    checkpoints = {
        c.pk: c
        for c in Checkpoint.objects.filter(pk__in={key[1] for key in rows}).prefetch_related(
            "shifts"
        )
    }
    result = []
    for (day, checkpoint_id, shift_id), entry in rows.items():
        point = checkpoints.get(checkpoint_id)
        shifts = {s.pk: s for s in point.shifts.all()} if point else {}
        shift = shifts.get(shift_id)
        entry.update(
            day=day,
            checkpoint=point,
            shift=shift,
            order=(
                -day.toordinal(),
                point.level if point else 0,
                point.name if point else "",
                shift.starts if shift else datetime.time.max,
            ),
        )
        result.append(entry)
    result.sort(key=lambda e: e["order"])
    return result


def count_totals(rows: list[dict]) -> dict:
    return {name: sum(row[name] for row in rows) for name in COUNT_KEYS}


def prefill_find(*, user, code: str) -> Prefill | None:
    """An unused, unexpired pre-filled entry at a checkpoint the user sees, by its code or
    by the full ID number of its first person."""
    text = (code or "").strip().upper()
    if not text:
        return None
    qs = Prefill.objects.for_user(user).filter(used_at__isnull=True, expires_at__gt=timezone.now())
    ids = _visible_checkpoint_ids(user)
    if ids is not None:
        qs = qs.filter(checkpoint_id__in=ids)
    number = normalize_id_number(text)
    if len(number) == 18:
        return qs.filter(id_number_hash=pii.digest(number)).order_by("-created_at").first()
    return qs.filter(code=text).first()


def prefills_waiting(*, checkpoint: Checkpoint, limit: int = 20) -> list[Prefill]:
    return list(
        Prefill.objects.filter(
            checkpoint=checkpoint, used_at__isnull=True, expires_at__gt=timezone.now()
        ).order_by("-created_at")[:limit]
    )


def checkpoint_counter(*, user) -> QuerySet[Checkpoint]:
    """Open checkpoints in the user's scope, for the home page."""
    return checkpoint_queryset(user=user).filter(is_open=True)


def home_panel(request) -> dict:
    """The open checkpoints a registering user works at, for one-tap access from home."""
    user = request.user
    points = list(checkpoint_queryset(user=user).filter(is_open=True)[:6])
    return {"checkpoints": points}
