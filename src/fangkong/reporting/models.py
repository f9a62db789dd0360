"""Daily reports (日报告/零报告) of the villages, the towns' summaries, their history and the
reminders sent for missing ones."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.models import Area
from fangkong.core.scope import ScopedQuerySet


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class DailyReport(models.Model):
    """One village's report for one day. The count columns are the figures as submitted
    (computed or corrected); `computed` keeps what the system computed when it was submitted
    and `corrections` every figure the village changed: {key: {computed, value, reason}}."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted, awaiting review")
        RETURNED = "returned", _("returned for correction")
        ACCEPTED = "accepted", _("accepted")

    area = models.ForeignKey(Area, verbose_name=_("reporting unit"), on_delete=models.PROTECT)
    date = models.DateField(_("report date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    is_zero = models.BooleanField(_("zero report"), default=False)
    # The first submission decides timeliness; a correction after a return keeps it.
    submitted_at = models.DateTimeField(_("submitted at"))
    late = models.BooleanField(_("late"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_returnees = _count(_("new returnees"))
    home_observation = _count(_("under home observation"))
    centralized_observation = _count(_("under centralized observation"))
    fever_referrals = _count(_("fever referrals"))
    checkpoint_vehicles = _count(_("checkpoint vehicles"))
    checkpoint_persons = _count(_("checkpoint persons"))
    turned_back = _count(_("turned back"))
    pushes_received = _count(_("pushes received"))
    supplies_used = _count(_("supplies used"))
    narrative = models.TextField(_("narrative"), blank=True)
    problems = models.TextField(_("problems and requests"), blank=True)
    computed = models.JSONField(_("computed figures"), default=dict, blank=True)
    corrections = models.JSONField(_("corrections"), default=dict, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "area_id"]
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        permissions = [
            ("submit_report", _("Can submit daily reports")),
            ("review_report", _("Can review daily reports and submit town summaries")),
            ("remind_report", _("Can remind units of missing daily reports")),
            ("export_reports", _("Can export daily reports")),
        ]
        constraints = [
            # One report per unit and day, whoever submits and however fast.
            models.UniqueConstraint(fields=["area", "date"], name="dailyreport_unique_day")
        ]
        indexes = [models.Index(fields=["date", "area"], name="dailyreport_date_area")]

    def __str__(self):
        return f"{self.area_id} {self.date}"


class TownSummary(models.Model):
    """A town's summary of a day: its villages' totals when submitted, and its own text."""

    area = models.ForeignKey(Area, verbose_name=_("town"), on_delete=models.PROTECT)
    date = models.DateField(_("report date"))
    totals = models.JSONField(_("totals"), default=dict)
    expected = models.PositiveIntegerField(_("villages expected"), default=0)
    submitted = models.PositiveIntegerField(_("villages submitted"), default=0)
    narrative = models.TextField(_("narrative"), blank=True)
    problems = models.TextField(_("problems and requests"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    late = models.BooleanField(_("late"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "area_id"]
        verbose_name = _("town summary")
        verbose_name_plural = _("town summaries")
        constraints = [
            models.UniqueConstraint(fields=["area", "date"], name="townsummary_unique_day")
        ]

    def __str__(self):
        return f"{self.area_id} {self.date}"


class Revision(models.Model):
    """One step of a report's history, written by the service that took it."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ZERO = "zero", _("zero report submitted")
        RETURNED = "returned", _("returned")
        RESUBMITTED = "resubmitted", _("corrected and resubmitted")
        ACCEPTED = "accepted", _("accepted")
        CHANGED = "changed", _("changed")

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="revisions")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=150)
    # Review comment or the reason of a change.
    reason = models.TextField(_("reason"), blank=True)
    # {field: [before, after]} of a change.
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")

    def __str__(self):
        return f"{self.report_id} {self.action}"


class Reminder(models.Model):
    """A reminder sent to a unit for a day's missing report: at most one per unit and day."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT)
    date = models.DateField(_("report date"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Which call wrote the row: concurrent reminders each notify only the rows they won.
    batch = models.CharField(max_length=32)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "area_id"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [models.UniqueConstraint(fields=["area", "date"], name="reminder_unique_day")]

    def __str__(self):
        return f"{self.area_id} {self.date}"
