"""Directives (通知/指令) sent down the area tree, with a receipt (签收) and feedback (反馈)
from every recipient unit."""

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.core.models import Area
from fangkong.core.scope import ScopedQuerySet


class Directive(models.Model):
    class Kind(models.TextChoices):
        NOTICE = "notice", _("notice")
        ORDER = "order", _("directive")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")
        CLOSED = "closed", _("closed")

    # The sending unit: the sender's scope when it was written.
    area = models.ForeignKey(Area, verbose_name=_("sender"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTICE)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    deadline = models.DateTimeField(_("deadline"))
    # Role names (accounts.roles) whose holders at the recipient units are notified.
    roles = models.JSONField(_("roles"), default=list)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # 临防指〔2020〕12号: given on sending from the per-area-per-year counter.
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    number = models.CharField(_("number"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        permissions = [
            ("send_directive", _("Can send directives")),
            ("sign_directive", _("Can sign for and answer directives")),
        ]
        indexes = [models.Index(fields=["area", "state"], name="directive_area_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="directive_number_unique",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.state == self.State.SENT and self.deadline < timezone.now()


class NumberCounter(models.Model):
    """The last number given per sending area and year; its row is the lock of numbering."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="directive_counter_unique")
        ]

    def __str__(self):
        return f"{self.area_id} {self.year}: {self.last}"


class RecipientQuerySet(ScopedQuerySet):
    def unsigned(self):
        return self.filter(signed_at__isnull=True)

    def unanswered(self):
        return self.filter(feedback_count=0)


class Recipient(models.Model):
    """One recipient unit of a directive: its receipt and its feedback summary."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="recipients")
    # The recipient unit.
    area = models.ForeignKey(Area, verbose_name=_("unit"), on_delete=models.PROTECT)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept with each feedback so lists show "answered" without reading the feedback.
    feedback_count = models.PositiveIntegerField(_("feedback"), default=0)
    last_feedback_at = models.DateTimeField(_("last feedback"), null=True, blank=True)
    # Reminders are sent at most once a day per unit.
    reminded_on = models.DateField(_("reminded"), null=True, blank=True)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        ordering = ["directive_id", "area_id"]
        verbose_name = _("recipient unit")
        verbose_name_plural = _("recipient units")
        constraints = [
            models.UniqueConstraint(fields=["directive", "area"], name="recipient_unique")
        ]
        indexes = [models.Index(fields=["area", "signed_at"], name="recipient_area_signed")]

    def __str__(self):
        return f"{self.directive_id} → {self.area_id}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def answered_late(self) -> bool:
        return self.last_feedback_at is not None and self.last_feedback_at > self.directive.deadline


class Feedback(models.Model):
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="feedbacks")
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="feedbacks")
    # The recipient unit's area.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    text = models.TextField(_("feedback"))
    late = models.BooleanField(_("late"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self):
        return f"{self.recipient_id} {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance, filename: str) -> str:
    # The stored name is random: the original (Chinese) name is kept in `name` for downloads,
    # and nothing a user typed reaches the file system.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"directives/{datetime.date.today():%Y}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="attachments")
    # Set for a feedback's attachment; empty for the directive's own.
    feedback = models.ForeignKey(
        Feedback, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    # The directive's area, or the recipient unit's for a feedback's attachment.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name
