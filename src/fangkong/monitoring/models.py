"""Monitoring of key persons: alerts here; health logs, follow-ups, samples and release
build on them (see services)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.models import Area
from fangkong.core.scope import ScopedQuerySet
from fangkong.ledger.models import KeyPerson


class Alert(models.Model):
    """Something a doctor and the town must act on: a fever, symptoms, a positive result."""

    class Kind(models.TextChoices):
        CHECKPOINT_FEVER = "checkpoint_fever", _("fever at a checkpoint")
        FEVER = "fever", _("fever in a health log")
        SYMPTOMS = "symptoms", _("symptoms in a health log")
        POSITIVE = "positive", _("positive nucleic-acid result")

    class Level(models.IntegerChoices):
        # Lower is more urgent.
        HIGHEST = 1, _("highest")
        HIGH = 2, _("high")
        NORMAL = 3, _("normal")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        REFERRED = "referred", _("referred")
        CLOSED = "closed", _("closed")

    class Outcome(models.TextChoices):
        EXCLUDED = "excluded", _("excluded, back under observation")
        SUSPECTED = "suspected", _("suspected case")
        CONFIRMED = "confirmed", _("confirmed case")
        OTHER = "other", _("other")

    # Where the person is (or, for a traveller, the checkpoint's area).
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, db_index=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    key_person = models.ForeignKey(
        KeyPerson,
        verbose_name=_("key person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    # Who it is about, for alerts on travellers who are in no ledger.
    subject_name = models.CharField(_("name"), max_length=50)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    temperature = models.DecimalField(
        _("temperature"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True, db_index=True)
    referred_to = models.CharField(_("referred to"), max_length=100, blank=True)
    referred_at = models.DateTimeField(_("referred at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["level", "-raised_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        permissions = [("handle_alert", _("Can refer and close alerts"))]
        indexes = [models.Index(fields=["area", "state"], name="alert_area_state")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.subject_name}"


class Slot(models.TextChoices):
    MORNING = "am", _("morning")
    AFTERNOON = "pm", _("afternoon")


class HealthLog(models.Model):
    """One of the two daily temperature-and-symptom reports (双测温两报告) of a key person."""

    class Via(models.TextChoices):
        STAFF = "staff", _("entered by staff")
        SELF = "self", _("reported by the person")
        IMPORT = "import", _("imported")

    key_person = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, related_name="health_logs")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    date = models.DateField(_("date"))
    slot = models.CharField(_("slot"), max_length=2, choices=Slot.choices)
    temperature = models.DecimalField(_("temperature"), max_digits=3, decimal_places=1)
    # Comma-separated symptom codes (see services.SYMPTOMS); empty when well.
    symptoms = models.CharField(_("symptoms"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    via = models.CharField(_("via"), max_length=6, choices=Via.choices)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A staff correction of a slot already reported: why, and when (the first values are
    # kept in `note`).
    correction_reason = models.CharField(_("correction reason"), max_length=200, blank=True)
    corrected_at = models.DateTimeField(_("corrected"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-slot", "-id"]
        verbose_name = _("health log")
        verbose_name_plural = _("health logs")
        indexes = [models.Index(fields=["area", "date"], name="healthlog_area_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["key_person", "date", "slot"], name="healthlog_one_per_slot"
            )
        ]

    def __str__(self):
        return f"{self.key_person_id} {self.date} {self.slot}"


class FollowUp(models.Model):
    """随访: the health centre's first visit (健康告知书 delivered) and later visits."""

    class Kind(models.TextChoices):
        FIRST = "first", _("first follow-up")
        LATER = "later", _("follow-up")

    key_person = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, related_name="follow_ups")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    visited_on = models.DateField(_("visited on"))
    notice_delivered = models.BooleanField(_("health notice delivered"), default=False)
    findings = models.TextField(_("findings"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        return f"{self.key_person_id} {self.visited_on}"


class Sample(models.Model):
    """A nucleic-acid sample and, once the lab answers, its result."""

    class Result(models.TextChoices):
        PENDING = "pending", _("pending")
        NEGATIVE = "negative", _("negative")
        POSITIVE = "positive", _("positive")
        INVALID = "invalid", _("invalid, resample")

    key_person = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, related_name="samples")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    sample_no = models.CharField(_("sample number"), max_length=40, unique=True)
    sampled_on = models.DateField(_("sampled on"))
    kind = models.CharField(_("sample type"), max_length=20, blank=True)
    batch = models.CharField(_("batch"), max_length=40, blank=True)
    lab = models.CharField(_("laboratory"), max_length=100, blank=True)
    result = models.CharField(
        _("result"), max_length=8, choices=Result.choices, default=Result.PENDING
    )
    result_on = models.DateField(_("result date"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-sampled_on", "-id"]
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        permissions = [("import_results", _("Can import laboratory results"))]

    def __str__(self):
        return self.sample_no


class MissedLog(models.Model):
    """A slot a key person left unreported past its deadline, recorded once when the reminder
    went out: the row is what makes the reminder idempotent per person, slot and day."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="missed_logs")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    date = models.DateField(_("date"))
    slot = models.CharField(_("slot"), max_length=2, choices=Slot.choices)
    reminded_at = models.DateTimeField(_("reminded"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-slot", "-id"]
        verbose_name = _("missed health log")
        verbose_name_plural = _("missed health logs")
        indexes = [models.Index(fields=["area", "date"], name="missedlog_area_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["key_person", "date", "slot"], name="missedlog_one_per_slot"
            )
        ]

    def __str__(self):
        return f"{self.key_person_id} {self.date} {self.slot}"
