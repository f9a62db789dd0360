"""Reads of the reporting app, narrowed by the scope.

`completeness` and `report_totals` are the contract the command dashboard calls: a constant
number of queries whatever the number of units and days.
"""

import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from fangkong.core.models import Area
from fangkong.core.scope import is_within
from fangkong.reporting.form import COUNT_KEYS
from fangkong.reporting.models import DailyReport, Reminder, Revision, TownSummary

UNIT_LEVEL = Area.Level.VILLAGE


def deadline(date: datetime.date) -> datetime.datetime:
    """When the report of `date` is due: FANGKONG_REPORT_DEADLINE of that day, local time."""
    return datetime.datetime.combine(
        date, settings.FANGKONG_REPORT_DEADLINE, tzinfo=timezone.get_current_timezone()
    )


def is_pending(date: datetime.date, now: datetime.datetime | None = None) -> bool:
    """Before the deadline a unit without a report has not reported *yet*: it is not missing."""
    return (now or timezone.now()) <= deadline(date)


def is_late(date: datetime.date, at: datetime.datetime) -> bool:
    return at > deadline(date)


def units(code: str) -> QuerySet[Area]:
    """The reporting units (villages) under `code`, the unit itself for a village."""
    return Area.objects.within(code).filter(level=UNIT_LEVEL)


def unit_in_scope(*, user, code: str) -> Area | None:
    if not code.isdigit():
        return None
    return units(code).for_user(user).filter(code=code).first()


def unit_for_reporter(*, user, code: str) -> Area | None:
    """The unit whose report `user` submits: their own village (or their grid's). Users above
    it (the town, the command) review and remind; the village answers for its own figures."""
    unit = unit_in_scope(user=user, code=code)
    if unit is None or not is_within(user.scope_id or "", unit.code):
        return None
    return unit


def town_in_scope(*, user, code: str) -> Area | None:
    if not code.isdigit():
        return None
    return Area.objects.for_user(user).filter(code=code, level=Area.Level.TOWN).first()


def report_queryset(*, user) -> QuerySet[DailyReport]:
    return DailyReport.objects.for_user(user)


def report_list(
    *,
    user,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    area: str = "",
    status: str = "",
    late: bool | None = None,
    zero: bool | None = None,
) -> QuerySet[DailyReport]:
    qs = report_queryset(user=user)
    if area:
        qs = qs.within(area)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if status:
        qs = qs.filter(status=status)
    if late is not None:
        qs = qs.filter(late=late)
    if zero is not None:
        qs = qs.filter(is_zero=zero)
    return qs.select_related("area").order_by("-date", "area_id")


def revisions_of(report: DailyReport) -> list[Revision]:
    return list(report.revisions.order_by("at", "id"))


def report_of(*, code: str, date: datetime.date) -> DailyReport | None:
    return DailyReport.objects.filter(area_id=code, date=date).first()


def summary_of(*, code: str, date: datetime.date) -> TownSummary | None:
    return TownSummary.objects.filter(area_id=code, date=date).first()


def summaries_of(*, code: str, date: datetime.date) -> list[TownSummary]:
    """The town summaries of `date` under `code` (the district's view of its towns)."""
    return list(
        TownSummary.objects.within(code)
        .filter(date=date)
        .select_related("area")
        .order_by("area_id")
    )


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def completeness(*, area_code: str, date_from: datetime.date, date_to: datetime.date) -> dict:
    """Reports submitted, on time, late and zero against those expected (every unit, every
    day) under `area_code` from `date_from` through `date_to`; per day and per child area.

    Four queries: the units, the children, the reports grouped by day and grouped by unit.
    A report counts as submitted whatever its review status (a returned report was
    submitted; it is being corrected); its timeliness is that of its first submission.
    """
    days = max((date_to - date_from).days + 1, 0)
    unit_codes = list(units(area_code).values_list("code", flat=True))
    children = list(
        Area.objects.filter(parent_id=area_code, level__lte=UNIT_LEVEL)
        .order_by("code")
        .values_list("code", "name")
    )
    reports = DailyReport.objects.within(area_code).filter(date__gte=date_from, date__lte=date_to)
    figures = {
        "submitted": Count("id"),
        "on_time": Count("id", filter=Q(late=False)),
        "zero": Count("id", filter=Q(is_zero=True)),
    }
    per_day = {row["date"]: row for row in reports.values("date").annotate(**figures).order_by()}
    per_unit = list(reports.values("area_id").annotate(**figures).order_by())

    by_day = []
    for offset in range(days):
        day = date_from + datetime.timedelta(days=offset)
        row = per_day.get(day, {})
        by_day.append(
            {
                "date": day.isoformat(),
                "expected": len(unit_codes),
                "submitted": row.get("submitted", 0),
                "on_time": row.get("on_time", 0),
            }
        )

    child_rows = {
        code: {"code": code, "name": name, "expected": 0, "submitted": 0, "on_time": 0}
        for code, name in children
    }
    lengths = sorted({len(code) for code in child_rows})

    def child_of(code: str):
        for length in lengths:
            found = child_rows.get(code[:length])
            if found is not None:
                return found
        return None

    for code in unit_codes:
        child = child_of(code)
        if child is not None:
            child["expected"] += days
    for row in per_unit:
        child = child_of(row["area_id"])
        if child is not None:
            child["submitted"] += row["submitted"]
            child["on_time"] += row["on_time"]

    expected = len(unit_codes) * days
    submitted = sum(row["submitted"] for row in per_unit)
    on_time = sum(row["on_time"] for row in per_unit)
    return {
        "expected": expected,
        "submitted": submitted,
        "on_time": on_time,
        "late": submitted - on_time,
        "zero": sum(row["zero"] for row in per_unit),
        "missing": max(expected - submitted, 0),
        "completeness": _ratio(submitted, expected),
        "timeliness": _ratio(on_time, expected),
        "by_day": by_day,
        "by_child": list(child_rows.values()),
    }


def report_totals(*, area_code: str, date: datetime.date) -> dict[str, int]:
    """Sums of the count fields of the reports of `date` under `area_code` (one query)."""
    sums = (
        DailyReport.objects.within(area_code)
        .filter(date=date)
        .aggregate(**{key: Sum(key) for key in COUNT_KEYS})
    )
    return {key: sums[key] or 0 for key in COUNT_KEYS}


def day_board(*, code: str, date: datetime.date) -> list[dict]:
    """Every unit under `code` with its report of `date` (or None) and whether it was
    reminded: the town's review list and the missing list. Three queries."""
    unit_rows = list(units(code).select_related("parent").order_by("code"))
    reports = {r.area_id: r for r in DailyReport.objects.within(code).filter(date=date).order_by()}
    reminded = set(
        Reminder.objects.within(code).filter(date=date).values_list("area_id", flat=True)
    )
    return [
        {
            "unit": unit,
            "report": reports.get(unit.code),
            "reminded": unit.code in reminded,
        }
        for unit in unit_rows
    ]


def missing_units(*, code: str, date: datetime.date) -> list[str]:
    """Codes of the units under `code` with no report of `date` (two queries)."""
    done = set(DailyReport.objects.within(code).filter(date=date).values_list("area_id", flat=True))
    return [c for c in units(code).order_by("code").values_list("code", flat=True) if c not in done]
