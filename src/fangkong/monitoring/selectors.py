"""Reads of the monitoring module, always narrowed to the user's scope (or an area)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from fangkong.core.scope import scope_filter
from fangkong.ledger.models import KeyPerson
from fangkong.monitoring.models import Alert, FollowUp, HealthLog, Sample, Slot
from fangkong.monitoring.services import (
    RELEASE_LOG_DAYS,
    RELEASE_TEST_DAYS,
    missing_queryset,
)

MANAGED = KeyPerson.State.MANAGED


def _fever() -> Decimal:
    return Decimal(str(settings.FANGKONG_FEVER_THRESHOLD))


def keyperson_queryset(*, user) -> QuerySet[KeyPerson]:
    return KeyPerson.objects.for_user(user).select_related("person", "area", "category")


def managed_list(*, user, area: str = "", q: str = "") -> QuerySet[KeyPerson]:
    """Persons under management in the scope, for the phone page of the day's logs."""
    qs = keyperson_queryset(user=user).filter(state=MANAGED)
    if area:
        qs = qs.filter(scope_filter("area", area))
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(person__name_pinyin__contains=q.lower())
            if q.isascii()
            else Q(person__name__startswith=q)
        )
    return qs.order_by("area_id", "person__name", "pk")


def logs_by_person(*, key_person_ids: list[int], date: datetime.date) -> dict[int, dict]:
    """{key person id: {slot: HealthLog}} of one day, for the rows of one page."""
    found: dict[int, dict] = {}
    if not key_person_ids:
        return found
    for log in HealthLog.objects.filter(key_person_id__in=key_person_ids, date=date):
        found.setdefault(log.key_person_id, {})[log.slot] = log
    return found


def missing_list(*, user, date: datetime.date, slot: str, area: str = "") -> QuerySet[KeyPerson]:
    """ "未报": persons under management in the user's scope without a log of `slot`."""
    if user.scope_id is None:
        return KeyPerson.objects.none()
    qs = missing_queryset(scope=user.scope_id, date=date, slot=slot)
    if area:
        qs = qs.filter(scope_filter("area", area))
    return qs.select_related("person", "area").order_by("area_id", "person__name", "pk")


def missing_counts(*, user, date: datetime.date, area: str = "") -> dict[str, int]:
    """Missing logs per slot in one query (a conditional count per slot)."""
    if user.scope_id is None:
        return dict.fromkeys(Slot.values, 0)
    qs = KeyPerson.objects.within(user.scope_id).filter(state=MANAGED, period_start__lte=date)
    if area:
        qs = qs.filter(scope_filter("area", area))
    aggregates = {}
    for slot in Slot.values:
        logged = HealthLog.objects.filter(key_person=OuterRef("pk"), date=date, slot=slot)
        qs = qs.annotate(**{f"has_{slot}": Exists(logged)})
        aggregates[slot] = Count("pk", filter=Q(**{f"has_{slot}": False}))
    return qs.aggregate(**aggregates)


def release_due_ids(
    *, user=None, scope: str | None = None, today: datetime.date | None = None, area: str = ""
) -> list[int]:
    """Ids of the persons in 管理 whose period ended before today and who may be released,
    oldest period first: both slots of each of the last RELEASE_LOG_DAYS days reported, no
    fever or symptom in those logs nor today's, no alert still open, and — where the
    category requires it — a negative sample taken in the period's last RELEASE_TEST_DAYS
    days or later. `services.release_check` states the same rules for one person.

    Two queries whatever the number of persons: the candidates with every log condition in
    SQL (one EXISTS per required slot, each a probe of the unique index), then the negative
    samples of the scope's finished persons (the date comparison is done here: date
    arithmetic differs between SQLite and PostgreSQL). Ids only: building thousands of
    objects would cost more than the queries; a page loads its own rows (`keypersons_by_ids`).
    """
    today = today or timezone.localdate()
    code = scope if scope is not None else getattr(user, "scope_id", None)
    if code is None:
        return []
    first = today - datetime.timedelta(days=RELEASE_LOG_DAYS)
    logs = HealthLog.objects.filter(key_person=OuterRef("pk"))
    required = [
        Exists(logs.filter(date=first + datetime.timedelta(days=n), slot=slot))
        for n in range(RELEASE_LOG_DAYS)
        for slot in Slot.values
    ]
    abnormal = logs.filter(date__gte=first).filter(Q(temperature__gte=_fever()) | ~Q(symptoms=""))
    open_alert = Alert.objects.filter(key_person=OuterRef("pk")).exclude(state=Alert.State.CLOSED)
    candidates = (
        KeyPerson.objects.within(code)
        .filter(state=MANAGED, period_end__lt=today)
        .filter(*required)
        .filter(~Exists(abnormal), ~Exists(open_alert))
    )
    if area:
        candidates = candidates.filter(scope_filter("area", area))
    rows = list(
        candidates.order_by("period_end", "area_id", "pk").values_list(
            "pk", "period_end", "category__requires_negative_test"
        )
    )
    if not any(needs for _pk, _end, needs in rows):
        return [pk for pk, _end, _needs in rows]
    negatives: dict[int, datetime.date] = {}
    samples = (
        Sample.objects.within(code)
        .filter(
            result=Sample.Result.NEGATIVE,
            key_person__state=MANAGED,
            key_person__period_end__lt=today,
        )
        .values_list("key_person_id", "sampled_on")
    )
    for key_person_id, sampled_on in samples:
        if sampled_on > negatives.get(key_person_id, datetime.date.min):
            negatives[key_person_id] = sampled_on
    margin = datetime.timedelta(days=RELEASE_TEST_DAYS - 1)
    return [
        pk
        for pk, end, needs in rows
        if not needs or negatives.get(pk, datetime.date.min) >= end - margin
    ]


def keypersons_by_ids(ids: list[int]) -> list[KeyPerson]:
    """The key persons of `ids` in that order (ids come from a scoped selector)."""
    found = KeyPerson.objects.select_related("person", "area", "category").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def release_due(**kwargs) -> list[KeyPerson]:
    return keypersons_by_ids(release_due_ids(**kwargs))


def alert_queryset(*, user) -> QuerySet[Alert]:
    return Alert.objects.for_user(user).select_related("area", "key_person")


def alert_list(*, user, state: str = "", kind: str = "") -> QuerySet[Alert]:
    """Open alerts first (most urgent first), then referred, then closed."""
    qs = alert_queryset(user=user)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    order = Case(
        When(state=Alert.State.OPEN, then=Value(0)),
        When(state=Alert.State.REFERRED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(state_order=order).order_by("state_order", "level", "-raised_at", "-id")


def alert_open_queryset(*, user) -> QuerySet[Alert]:
    """For the home page counter."""
    return Alert.objects.for_user(user).exclude(state=Alert.State.CLOSED)


def sample_queryset(*, user) -> QuerySet[Sample]:
    return Sample.objects.for_user(user).select_related("key_person__person", "area")


def sample_list(*, user, result: str = "", q: str = "") -> QuerySet[Sample]:
    qs = sample_queryset(user=user)
    if result:
        qs = qs.filter(result=result)
    if q:
        qs = qs.filter(Q(sample_no__startswith=q.strip()) | Q(batch=q.strip()))
    return qs.order_by("-sampled_on", "-id")


def followups_of(key_person: KeyPerson) -> QuerySet[FollowUp]:
    return key_person.follow_ups.select_related("recorded_by")


def recent_logs(key_person: KeyPerson, days: int = 14) -> list[dict]:
    """One row per day, newest first, from today back to the period start (at most `days`)."""
    today = timezone.localdate()
    end = min(today, key_person.released_on or today)
    # The whole period stays visible on release day (day 15 of a 14-day period).
    days = max(days, (key_person.period_end - key_person.period_start).days + 2)
    start = max(key_person.period_start, end - datetime.timedelta(days=days - 1))
    logs: dict[tuple, HealthLog] = {
        (log.date, log.slot): log
        for log in key_person.health_logs.filter(date__gte=start, date__lte=end)
    }
    rows = []
    day = end
    while day >= start:
        rows.append({"date": day, "slots": [logs.get((day, slot)) for slot in Slot.values]})
        day -= datetime.timedelta(days=1)
    return rows
