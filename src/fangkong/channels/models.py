"""Notification channels: a unit's group robot (WeCom, DingTalk) or mailing list receiving
what lands in the inboxes of its area, and the log of every message sent to one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.models import Area
from fangkong.core.scope import ScopedQuerySet


class Channel(models.Model):
    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")
        EMAIL = "email", _("E-mail")

    # The unit: the channel receives the notifications of this area and everything below.
    area = models.ForeignKey(Area, verbose_name=_("unit"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    # The robot's webhook: its key is a secret, shown masked.
    webhook_url = models.CharField(_("webhook URL"), max_length=500, blank=True)
    # DingTalk 加签 secret (SEC…), empty when the robot does not sign.
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    recipients = models.JSONField(_("e-mail addresses"), default=list, blank=True)
    # Notification kinds forwarded; empty forwards every kind.
    kinds = models.JSONField(_("notification kinds"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["area_id", "name", "id"]
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")
        indexes = [
            # The inbox hook asks on every notification insert which active channels cover
            # the rows' areas: an equality lookup on the few ancestor codes of each.
            models.Index(
                fields=["area"], condition=models.Q(active=True), name="channel_active_area"
            )
        ]

    def __str__(self):
        return self.name

    def forwards(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds

    @property
    def destination(self) -> str:
        """Where it sends, safe to show: the webhook with its key masked, or the addresses."""
        if self.kind == self.Kind.EMAIL:
            return ", ".join(self.recipients)
        return mask_url(self.webhook_url)


def mask_url(url: str) -> str:
    """https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…  ->  …?key=693a****"""
    base, sep, query = url.partition("?")
    if not sep:
        # A secret carried in the path (some gateways): keep the host and mask the rest.
        scheme, _sep, rest = url.partition("://")
        host, slash, path = rest.partition("/")
        return f"{scheme}://{host}{slash}{'****' if path else ''}"
    masked = []
    for pair in query.split("&"):
        key, eq, value = pair.partition("=")
        masked.append(f"{key}{eq}{value[:4]}****" if eq and value else pair)
    return f"{base}?{'&'.join(masked)}"


class Delivery(models.Model):
    """One message to one channel: what was sent, and how each attempt went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,  # delivery_channel_created leads with it
    )
    # The channel's unit: the log is scoped like the channels.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    # What the message is about, as the notifications name it.
    kind = models.CharField(_("kind"), max_length=20)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # A path of this site (or empty); made absolute with FANGKONG_BASE_URL when sent.
    link = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    # While an attempt is under way: no other worker may start one before this time.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["area", "created_at"], name="delivery_area_created"),
            models.Index(fields=["channel", "created_at"], name="delivery_channel_created"),
        ]

    def __str__(self):
        return f"{self.channel_id}: {self.title}"
