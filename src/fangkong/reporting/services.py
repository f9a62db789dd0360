"""Writes of the reporting app: submit, zero-submit, correct, review, summarise, remind.

Every report write records a Revision row (the report page's history) and updates the inbox
in the same transaction. The unique (area, date) constraint, not a check before the insert,
decides which of two concurrent submissions wins.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core.models import Area
from fangkong.core.scope import is_within, require_within
from fangkong.inbox.models import Notification
from fangkong.inbox.services import (
    notification_notify,
    notifications_notify_many,
    notifications_resolve,
)
from fangkong.reporting import selectors
from fangkong.reporting.computed import computed_figures
from fangkong.reporting.form import COMPUTED_KEYS, COUNT_KEYS, MAX_COUNT
from fangkong.reporting.models import DailyReport, Reminder, Revision, TownSummary

SUBMIT = "reporting.submit_report"
REVIEW = "reporting.review_report"
Status = DailyReport.Status
Action = Revision.Action


def due_target(code: str, date: datetime.date) -> str:
    """Notification target of "the report of this unit and day is due"."""
    return f"{code}:{date.isoformat()}"


def _actor_name(actor) -> str:
    return str(actor) if actor is not None else _("system")


def _revision(report, *, actor, action, reason="", changes=None) -> Revision:
    return Revision.objects.create(
        report=report,
        area_id=report.area_id,
        action=action,
        actor=actor,
        actor_name=_actor_name(actor),
        reason=reason,
        changes=changes or {},
    )


def _check_unit(actor, area: Area) -> None:
    require_within(actor, area.code)
    if actor is not None and not is_within(actor.scope_id or "", area.code):
        raise ValidationError({"area": _("The village's own staff submit its report")})
    if area.level != selectors.UNIT_LEVEL:
        raise ValidationError({"area": _("Daily reports are submitted by villages")})


def _check_date(date: datetime.date) -> None:
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future")})


def figures_check(
    *, values: dict, computed: dict, reasons: dict
) -> tuple[dict[str, int], dict[str, dict]]:
    """The count figures to store and the corrections they make to the computed ones.

    A computed figure left as computed needs nothing; a changed one needs a reason and keeps
    the computed value beside it.
    """
    errors: dict[str, str] = {}
    counts: dict[str, int] = {}
    corrections: dict[str, dict] = {}
    for key in COUNT_KEYS:
        raw = values.get(key, computed.get(key, 0))
        try:
            value = int(raw)
        except (TypeError, ValueError):
            errors[key] = _("Enter a whole number")
            continue
        if value < 0 or value > MAX_COUNT:
            errors[key] = _("Enter a number from 0 to %(max)d") % {"max": MAX_COUNT}
            continue
        counts[key] = value
        if key in COMPUTED_KEYS and value != computed.get(key, 0):
            reason = (reasons.get(key) or "").strip()
            if not reason:
                errors[f"{key}_reason"] = _("Say why the figure differs from the computed one")
                continue
            corrections[key] = {"computed": computed.get(key, 0), "value": value, "reason": reason}
    if errors:
        raise ValidationError(errors)
    return counts, corrections


def _notify_reviewers(report: DailyReport, title: str) -> None:
    notification_notify(
        area=report.area_id,
        permission=REVIEW,
        nearest=True,
        kind=Notification.Kind.REPORT_REVIEW,
        title=title,
        target_type="report",
        target_id=report.pk,
    )


def _insert(report: DailyReport) -> DailyReport:
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Another submission of the same unit and day committed first.
        raise ValidationError(
            {"date": _("This unit has already submitted its report for this day")}
        ) from None
    return report


def _submitted(report: DailyReport, *, actor, action) -> DailyReport:
    _revision(report, actor=actor, action=action)
    notifications_resolve(
        target_type="report_due", target_id=due_target(report.area_id, report.date)
    )
    _notify_reviewers(
        report,
        _("Daily report of %(unit)s for %(date)s to review")
        % {"unit": report.area.name, "date": report.date.isoformat()},
    )
    return report


@transaction.atomic
def report_submit(
    *,
    actor,
    area: Area,
    date: datetime.date,
    values: dict,
    reasons: dict | None = None,
    narrative: str = "",
    problems: str = "",
) -> DailyReport:
    """Submit the unit's report of `date`; after the deadline it is accepted, marked late."""
    _check_unit(actor, area)
    _check_date(date)
    if DailyReport.objects.filter(area=area, date=date).exists():
        raise ValidationError(
            {"date": _("This unit has already submitted its report for this day")}
        )
    computed = computed_figures(area_code=area.code, date=date)
    counts, corrections = figures_check(values=values, computed=computed, reasons=reasons or {})
    now = timezone.now()
    report = DailyReport(
        area=area,
        date=date,
        submitted_at=now,
        late=selectors.is_late(date, now),
        submitted_by=actor,
        narrative=narrative.strip(),
        problems=problems.strip(),
        computed=computed,
        corrections=corrections,
        **counts,
    )
    return _submitted(_insert(report), actor=actor, action=Action.SUBMITTED)


@transaction.atomic
def report_zero_submit(*, actor, area: Area, date: datetime.date) -> DailyReport:
    """零报告: one tap, every figure 0. Refused when the system knows of figures that day, since
    a zero report would then contradict the ledgers; the unit submits the form instead."""
    _check_unit(actor, area)
    _check_date(date)
    if DailyReport.objects.filter(area=area, date=date).exists():
        raise ValidationError(
            {"date": _("This unit has already submitted its report for this day")}
        )
    computed = computed_figures(area_code=area.code, date=date)
    if any(computed.values()):
        raise ValidationError(
            {
                "date": _(
                    "The system has figures for this unit and day: submit the report form "
                    "instead of a zero report"
                )
            }
        )
    now = timezone.now()
    report = DailyReport(
        area=area,
        date=date,
        is_zero=True,
        submitted_at=now,
        late=selectors.is_late(date, now),
        submitted_by=actor,
        computed=computed,
    )
    return _submitted(_insert(report), actor=actor, action=Action.ZERO)


def _locked(report: DailyReport) -> DailyReport:
    return DailyReport.objects.select_for_update().select_related("area").get(pk=report.pk)


@transaction.atomic
def report_update(
    *,
    actor,
    report: DailyReport,
    values: dict,
    reasons: dict | None = None,
    narrative: str = "",
    problems: str = "",
    reason: str = "",
) -> DailyReport:
    """Correct a report: a returned one is resubmitted for review; a change after acceptance
    needs a reason. Either way the change is kept in the report's history."""
    require_within(actor, report.area_id)
    report = _locked(report)
    reason = reason.strip()
    if report.status == Status.ACCEPTED and not reason:
        raise ValidationError({"reason": _("Say why an accepted report is changed")})
    # The figures are checked against what was computed at submission: the correction
    # reasons were given against those.
    computed = report.computed or dict.fromkeys(COMPUTED_KEYS, 0)
    counts, corrections = figures_check(values=values, computed=computed, reasons=reasons or {})
    new = {**counts, "narrative": narrative.strip(), "problems": problems.strip()}
    changes = {
        key: [getattr(report, key), value]
        for key, value in new.items()
        if getattr(report, key) != value
    }
    if report.status != Status.RETURNED and not changes and corrections == report.corrections:
        raise ValidationError({"reason": _("Nothing was changed")})
    for key, value in new.items():
        setattr(report, key, value)
    report.corrections = corrections
    report.is_zero = not any(counts.values()) and not new["narrative"] and not new["problems"]
    if report.status == Status.RETURNED:
        report.status = Status.SUBMITTED
        action = Action.RESUBMITTED
    else:
        action = Action.CHANGED
    report.full_clean(validate_constraints=False)
    report.save()
    _revision(report, actor=actor, action=action, reason=reason, changes=changes)
    if action == Action.RESUBMITTED:
        notifications_resolve(
            target_type="report", target_id=report.pk, kind=Notification.Kind.REPORT_RETURNED
        )
        _notify_reviewers(
            report,
            _("Corrected daily report of %(unit)s for %(date)s to review")
            % {"unit": report.area.name, "date": report.date.isoformat()},
        )
    return report


def _check_reviewable(actor, report: DailyReport) -> DailyReport:
    require_within(actor, report.area_id)
    report = _locked(report)
    if report.status != Status.SUBMITTED:
        raise ValidationError({"status": _("Only a report awaiting review can be reviewed")})
    return report


@transaction.atomic
def report_return(*, actor, report: DailyReport, comment: str) -> DailyReport:
    """Send a report back to its village with what to correct."""
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the village should correct")})
    report = _check_reviewable(actor, report)
    report.status = Status.RETURNED
    report.review_comment = comment
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.save(update_fields=["status", "review_comment", "reviewed_at", "reviewed_by"])
    _revision(report, actor=actor, action=Action.RETURNED, reason=comment)
    notifications_resolve(
        target_type="report", target_id=report.pk, kind=Notification.Kind.REPORT_REVIEW
    )
    notification_notify(
        area=report.area_id,
        permission=SUBMIT,
        nearest=True,
        kind=Notification.Kind.REPORT_RETURNED,
        title=_("Daily report for %(date)s returned for correction")
        % {"date": report.date.isoformat()},
        body=comment,
        target_type="report",
        target_id=report.pk,
    )
    return report


@transaction.atomic
def report_accept(*, actor, report: DailyReport) -> DailyReport:
    report = _check_reviewable(actor, report)
    report.status = Status.ACCEPTED
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    _revision(report, actor=actor, action=Action.ACCEPTED)
    notifications_resolve(
        target_type="report", target_id=report.pk, kind=Notification.Kind.REPORT_REVIEW
    )
    return report


@transaction.atomic
def summary_submit(
    *, actor, area: Area, date: datetime.date, narrative: str = "", problems: str = ""
) -> TownSummary:
    """The town's summary of `date`: its villages' totals now, and its own text. Submitting
    again replaces totals and text; timeliness stays that of the first submission."""
    require_within(actor, area.code)
    if area.level != Area.Level.TOWN:
        raise ValidationError({"area": _("Summaries are submitted by towns")})
    _check_date(date)
    narrative = narrative.strip()
    if not narrative:
        raise ValidationError({"narrative": _("Write the town's summary")})
    totals = selectors.report_totals(area_code=area.code, date=date)
    figures = selectors.completeness(area_code=area.code, date_from=date, date_to=date)
    now = timezone.now()
    fields = {
        "totals": totals,
        "expected": figures["expected"],
        "submitted": figures["submitted"],
        "narrative": narrative,
        "problems": problems.strip(),
        "submitted_by": actor,
    }
    summary = TownSummary.objects.select_for_update().filter(area=area, date=date).first()
    if summary is None:
        summary = TownSummary(
            area=area, date=date, submitted_at=now, late=selectors.is_late(date, now), **fields
        )
        summary.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                summary.save()
        except IntegrityError:
            raise ValidationError(
                {"date": _("The summary was just submitted by someone else; reload the page")}
            ) from None
        return summary
    for key, value in fields.items():
        setattr(summary, key, value)
    summary.full_clean(validate_constraints=False)
    summary.save()
    return summary


@transaction.atomic
def reminders_send(
    *, actor, area_code: str, date: datetime.date, codes: list[str] | None = None
) -> int:
    """Remind the units under `area_code` (or only `codes`) that have no report of `date`.

    At most one reminder per unit and day, whoever clicks and however often: the Reminder
    rows are inserted ignoring conflicts, tagged with this call's batch, and only the units
    this call inserted are notified. Returns how many units were reminded.
    """
    require_within(actor, area_code)
    missing = selectors.missing_units(code=area_code, date=date)
    if codes is not None:
        wanted = set(codes)
        missing = [code for code in missing if code in wanted]
    if not missing:
        return 0
    already = set(
        Reminder.objects.filter(date=date, area_id__in=missing).values_list("area_id", flat=True)
    )
    fresh = [code for code in missing if code not in already]
    if not fresh:
        return 0
    batch = uuid.uuid4().hex
    Reminder.objects.bulk_create(
        [Reminder(area_id=code, date=date, sent_by=actor, batch=batch) for code in fresh],
        ignore_conflicts=True,
    )
    won = list(
        Reminder.objects.filter(date=date, batch=batch)
        .order_by("area_id")
        .values_list("area_id", flat=True)
    )
    due = selectors.deadline(date)
    title = _("Daily report for %(date)s due by %(time)s") % {
        "date": date.isoformat(),
        "time": timezone.localtime(due).strftime("%H:%M"),
    }
    notifications_notify_many(
        permission=SUBMIT,
        nearest=True,
        messages=[
            {
                "area": code,
                "kind": Notification.Kind.REPORT_DUE,
                "title": title,
                "target_type": "report_due",
                "target_id": due_target(code, date),
            }
            for code in won
        ],
    )
    return len(won)


def reminders_due(*, now: datetime.datetime | None = None) -> int:
    """The automatic reminder: within the hour before today's deadline, remind every unit of
    the district without a report. Safe to run as often as wanted (see reminders_send)."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    due = selectors.deadline(today)
    if not (due - datetime.timedelta(hours=1) <= now < due):
        return 0
    return reminders_send(actor=None, area_code=settings.FANGKONG_DISTRICT_CODE, date=today)
