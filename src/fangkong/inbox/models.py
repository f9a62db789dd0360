"""The in-app inbox: what needs a user's action, one click from the notification."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.models import Area
from fangkong.core.scope import ScopedQuerySet


class NotificationQuerySet(ScopedQuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def open(self):
        return self.filter(resolved_at__isnull=True)


class Notification(models.Model):
    class Kind(models.TextChoices):
        PUSH = "push", _("push awaiting receipt")
        PUSH_ANSWERED = "push_answered", _("push answered: cannot receive")
        PUSH_OVERDUE = "push_overdue", _("push overdue")
        SELF_REGISTRATION = "self_registration", _("self-registration to confirm")
        ALERT = "alert", _("alert")
        MISSED_LOG = "missed_log", _("missed health logs")
        RELEASE_DUE = "release_due", _("due for release")
        REPORT_DUE = "report_due", _("daily report due")
        REPORT_REVIEW = "report_review", _("daily report to review")
        REPORT_RETURNED = "report_returned", _("daily report returned")
        DIRECTIVE = "directive", _("directive to sign")
        DIRECTIVE_FEEDBACK = "directive_feedback", _("directive feedback")
        LOW_STOCK = "low_stock", _("low stock")
        SUPPLY_REQUEST = "supply_request", _("supply request")
        OTHER = "other", _("notice")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # The area of what it is about, so a user moved to another scope stops seeing it.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # Where the one-click action is.
    url = models.CharField(_("link"), max_length=300, blank=True)
    # What it is about ("push", "42"): resolving that object resolves its notifications.
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("done"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_read"),
            models.Index(fields=["target_type", "target_id"], name="notification_target"),
        ]

    def __str__(self):
        return self.title
