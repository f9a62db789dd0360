"""Notification channels: configuring them, turning inbox notifications into deliveries, and
sending those.

The inbox calls `notifications_forward` with the rows of every insert, inside the writer's
transaction (checkpoint registrations included), so it costs one indexed query and writes
nothing when no active channel covers the rows' areas. Several users of a unit notified about
the same thing make one message per channel: rows are grouped by (kind, target), and across
the writes of one transaction too. Nothing is sent inside the transaction: the deliveries are
queued when it commits.

A delivery is attempted by `delivery_attempt`, which claims it (a conditional update, so two
workers never send it at once and a sent one is never sent again), sends outside any
transaction and records the outcome. The task retries a failed attempt with a backoff; after
MAX_ATTEMPTS it stays failed until someone retries it from the log.
"""

import base64
import datetime
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote_plus, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fangkong.channels.models import Channel, Delivery
from fangkong.core.models import Area
from fangkong.core.scope import ancestor_codes, is_within, require_within
from fangkong.inbox.links import target_url
from fangkong.inbox.models import Notification

MAX_ATTEMPTS = 3
# Seconds to wait before the second and the third attempt.
BACKOFF = (60, 300)
# A claimed attempt blocks others this long (the HTTP and SMTP timeouts are shorter).
CLAIM_SECONDS = 60
HTTP_TIMEOUT = 10
MAX_RECIPIENTS = 20
# The kind of the deliveries made by the "send a test message" button.
TEST_KIND = "test"
# Group robots cut long messages (WeCom at 4 096 bytes): bodies are shortened before that.
MAX_BODY_CHARS = 1000

_url_validator = URLValidator(schemes=["http", "https"])


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


# -- configuring channels -------------------------------------------------------------------


def _clean_recipients(recipients) -> list[str]:
    if isinstance(recipients, str):
        recipients = recipients.replace("，", ",").replace(";", ",").replace("\n", ",").split(",")
    cleaned = []
    for address in recipients or []:
        address = str(address).strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            raise _error(
                "recipients",
                _("%(address)s is not a valid e-mail address") % {"address": address[:100]},
                "email",
            ) from None
        if address.lower() not in {a.lower() for a in cleaned}:
            cleaned.append(address)
    return cleaned


def _clean_kinds(kinds) -> list[str]:
    kinds = sorted(set(kinds or []))
    unknown = [k for k in kinds if k not in Notification.Kind.values]
    if unknown:
        raise _error("kinds", _("Unknown notification kind"), "kind")
    # Every kind chosen is the same as none chosen: both forward everything.
    return [] if set(kinds) == set(Notification.Kind.values) else kinds


def _check_webhook(url: str) -> None:
    if not url:
        raise _error("webhook_url", _("Enter the robot's webhook URL"), "required")
    try:
        _url_validator(url)
    except ValidationError:
        raise _error(
            "webhook_url",
            _("Enter a full http:// or https:// address, as the robot's settings show it"),
            "url",
        ) from None
    if not host_allowed(url):
        raise _error(
            "webhook_url",
            _("The server may only call robots on %(hosts)s (FANGKONG_CHANNEL_HOSTS)")
            % {"hosts": "、".join(settings.FANGKONG_CHANNEL_HOSTS)},
            "host",
        )


def host_allowed(url: str) -> bool:
    """Robots are called from inside the government network: only the hosts the operator
    listed may be, so a unit's settings can't point the server at internal addresses."""
    host = (urlsplit(url).hostname or "").lower()
    return host in {h.lower() for h in settings.FANGKONG_CHANNEL_HOSTS}


def _apply(channel: Channel, *, name, kind, webhook_url, secret, recipients, kinds, active):
    channel.name = (name or "").strip()
    if kind not in Channel.Kind.values:
        raise _error("kind", _("Choose a channel type"), "kind")
    channel.kind = kind
    channel.kinds = _clean_kinds(kinds)
    channel.active = bool(active)
    if kind == Channel.Kind.EMAIL:
        channel.recipients = _clean_recipients(recipients)
        if not channel.recipients:
            raise _error("recipients", _("Enter at least one e-mail address"), "required")
        if len(channel.recipients) > MAX_RECIPIENTS:
            raise _error(
                "recipients",
                _("At most %(n)d addresses per channel") % {"n": MAX_RECIPIENTS},
                "too_many",
            )
        channel.webhook_url = ""
        channel.secret = ""
        return
    if webhook_url is not None:
        channel.webhook_url = webhook_url.strip()
    _check_webhook(channel.webhook_url)
    channel.recipients = []
    if kind == Channel.Kind.DINGTALK:
        if secret is not None:
            channel.secret = secret.strip()
    else:
        channel.secret = ""


@transaction.atomic
def channel_create(
    *,
    actor,
    area: Area,
    name: str,
    kind: str,
    webhook_url: str = "",
    secret: str = "",
    recipients=(),
    kinds=(),
    active: bool = True,
) -> Channel:
    require_within(actor, area.code)
    channel = Channel(area=area, created_by=actor)
    _apply(
        channel,
        name=name,
        kind=kind,
        webhook_url=webhook_url,
        secret=secret,
        recipients=recipients,
        kinds=kinds,
        active=active,
    )
    channel.full_clean()
    channel.save()
    return channel


@transaction.atomic
def channel_update(
    *,
    actor,
    channel: Channel,
    area: Area,
    name: str,
    kind: str,
    webhook_url: str | None = None,
    secret: str | None = None,
    recipients=(),
    kinds=(),
    active: bool = True,
) -> Channel:
    """Change a channel. `webhook_url` and `secret` None keep the stored ones: they are never
    shown again, so an edit does not have to retype them."""
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    require_within(actor, channel.area_id)
    require_within(actor, area.code)
    if kind != channel.kind and webhook_url is None and kind != Channel.Kind.EMAIL:
        # A robot's URL does not carry over to another kind of robot.
        webhook_url = ""
    channel.area = area
    _apply(
        channel,
        name=name,
        kind=kind,
        webhook_url=webhook_url,
        secret=secret,
        recipients=recipients,
        kinds=kinds,
        active=active,
    )
    channel.full_clean()
    channel.save()
    return channel


@transaction.atomic
def channel_delete(*, actor, channel: Channel) -> None:
    """Remove a channel and its delivery log (deactivating keeps the log)."""
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    require_within(actor, channel.area_id)
    channel.delete()


@transaction.atomic
def channel_test(*, actor, channel: Channel) -> Delivery:
    """Queue a test message to the channel, so whoever configured it sees it arrive."""
    require_within(actor, channel.area_id)
    delivery = Delivery.objects.create(
        channel=channel,
        area_id=channel.area_id,
        kind=TEST_KIND,
        title=_("Test message from the epidemic prevention platform"),
        body=_("The channel %(name)s of %(unit)s is set up: notifications will arrive here.")
        % {"name": channel.name, "unit": channel.area.name},
        link="/",
    )
    _queue([delivery.pk])
    return delivery


# -- notifications become deliveries --------------------------------------------------------


def _group_key(row: Notification) -> tuple:
    if row.target_type:
        return (row.kind, row.target_type, row.target_id)
    # Without a target the same text to several users is the one message.
    return (row.kind, "", "", row.title, row.body)


class _Batch:
    """The deliveries written in the current transaction, queued when it commits.

    One per transaction, found again through the connection's on-commit list, so the writes
    of one transaction share it: two inserts notifying about the same object make one message.
    """

    def __init__(self):
        self.keys: dict[tuple, int] = {}  # (channel id, group key) -> delivery id

    def __call__(self):
        _send_now(list(self.keys.values()))


def _open_batch() -> "_Batch | None":
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    for _sids, func, _robust in connection.run_on_commit:
        if isinstance(func, _Batch):
            return func
    return None


def notifications_forward(rows: list[Notification]) -> int:
    """The inbox hook: a pending delivery per active channel and message; returns how many."""
    covering = sorted({code for row in rows for code in ancestor_codes(row.area_id)})
    if not covering:
        return 0
    channels = list(
        Channel.objects.filter(active=True, area_id__in=covering).only("id", "area_id", "kinds")
    )
    if not channels:
        return 0
    areas = {channel.pk: channel.area_id for channel in channels}
    batch = _open_batch()
    seen = dict(batch.keys) if batch else {}
    wanted: dict[tuple, Notification] = {}
    for row in rows:
        for channel in channels:
            if is_within(row.area_id, channel.area_id) and channel.forwards(row.kind):
                wanted.setdefault((channel.pk, _group_key(row)), row)
    again = [seen[key] for key in wanted if key in seen]
    if again:
        # Written earlier in this transaction, unless a savepoint rolled back since.
        alive = set(Delivery.objects.filter(pk__in=again).values_list("pk", flat=True))
        dead = set(again) - alive
        seen = {key: pk for key, pk in seen.items() if pk not in dead}
    fresh: dict[tuple, Delivery] = {}
    for key, row in wanted.items():
        if key not in seen:
            fresh[key] = Delivery(
                channel_id=key[0],
                area_id=areas[key[0]],
                kind=row.kind,
                target_type=row.target_type,
                target_id=row.target_id,
                title=row.title[:200],
                body=row.body,
                link=target_url(row)[:300],
            )
    if not fresh:
        return 0
    Delivery.objects.bulk_create(fresh.values())
    ids = {key: delivery.pk for key, delivery in fresh.items()}
    if batch is not None:
        batch.keys = {**seen, **ids}
    else:
        batch = _Batch()
        batch.keys = ids
        transaction.on_commit(batch)
    return len(fresh)


def _queue(ids: list[int]) -> None:
    transaction.on_commit(lambda: _send_now(ids))


def _send_now(ids: list[int]) -> None:
    from fangkong.channels.tasks import delivery_send

    for pk in ids:
        delivery_send(pk)


# -- sending --------------------------------------------------------------------------------


@dataclass
class Outcome:
    ok: bool
    status: int | None = None
    error: str = ""


def absolute_link(link: str) -> str:
    if not link:
        return settings.FANGKONG_BASE_URL or ""
    if link.startswith("/") and not link.startswith("//"):
        return f"{settings.FANGKONG_BASE_URL}{link}"
    return ""


def _text(delivery: Delivery) -> str:
    body = delivery.body
    if len(body) > MAX_BODY_CHARS:
        body = body[:MAX_BODY_CHARS] + "…"
    return body


def message_payload(delivery: Delivery, kind: str) -> dict:
    """The JSON a group robot receives (markdown for both, in their two shapes)."""
    link = absolute_link(delivery.link)
    lines = [f"**{delivery.title}**"]
    if delivery.body:
        lines.append(_text(delivery))
    if link:
        label = _("Open in the platform")
        lines.append(f"[{label}]({link})")
    text = "\n\n".join(lines)
    if kind == Channel.Kind.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": text}}
    return {"msgtype": "markdown", "markdown": {"title": delivery.title, "text": text}}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk 加签: base64(HMAC-SHA256(secret, "timestamp\\nsecret")), URL-encoded."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return quote_plus(base64.b64encode(digest).decode())


def _signed_url(channel: Channel) -> str:
    if channel.kind != Channel.Kind.DINGTALK or not channel.secret:
        return channel.webhook_url
    timestamp = int(time.time() * 1000)
    sep = "&" if "?" in channel.webhook_url else "?"
    sign = dingtalk_sign(channel.secret, timestamp)
    return f"{channel.webhook_url}{sep}timestamp={timestamp}&sign={sign}"


def _post_webhook(channel: Channel, delivery: Delivery) -> Outcome:
    if not host_allowed(channel.webhook_url):
        # The list changed after the channel was saved: refuse rather than call it.
        return Outcome(False, None, _("Host not in FANGKONG_CHANNEL_HOSTS"))
    data = json.dumps(message_payload(delivery, channel.kind), ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked to be http(s)
        _signed_url(channel),
        data=data,
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
            status, raw = response.status, response.read(65536)
    except urllib.error.HTTPError as exc:
        return Outcome(False, exc.code, f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError) as exc:
        # The reason only: the URL would show the robot's key in the log.
        return Outcome(False, None, str(getattr(exc, "reason", exc))[:300])
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Outcome(False, status, _("The answer is not JSON"))
    errcode = answer.get("errcode") if isinstance(answer, dict) else None
    if errcode != 0:
        message = answer.get("errmsg", "") if isinstance(answer, dict) else ""
        return Outcome(False, status, f"errcode {errcode}: {message}"[:500])
    return Outcome(True, status)


def _send_mail(channel: Channel, delivery: Delivery) -> Outcome:
    link = absolute_link(delivery.link)
    parts = [delivery.title, _text(delivery)]
    if link:
        parts.append(_("Open in the platform: %(link)s") % {"link": link})
    message = EmailMessage(
        subject=delivery.title,
        body="\n\n".join(p for p in parts if p),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=channel.recipients,
    )
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - SMTP, socket and TLS errors all mean "not sent"
        return Outcome(False, None, f"{type(exc).__name__}: {exc}"[:500])
    return Outcome(True)


def _deliver(channel: Channel, delivery: Delivery) -> Outcome:
    with translation.override(settings.LANGUAGE_CODE):
        if channel.kind == Channel.Kind.EMAIL:
            return _send_mail(channel, delivery)
        return _post_webhook(channel, delivery)


def delivery_attempt(delivery_id: int) -> Delivery | None:
    """One attempt at sending a pending delivery; returns it as recorded, or None when there
    was nothing to do (already sent, failed for good, or being sent by another worker)."""
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING)
        .exclude(claimed_until__gt=now)
        .update(
            attempts=F("attempts") + 1,
            last_attempt_at=now,
            claimed_until=now + datetime.timedelta(seconds=CLAIM_SECONDS),
        )
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("channel").get(pk=delivery_id)
    channel = delivery.channel
    if not channel.active and delivery.kind != TEST_KIND:
        outcome = Outcome(False, None, _("The channel is not active"))
        final = True
    else:
        outcome = _deliver(channel, delivery)
        final = outcome.ok or delivery.attempts >= MAX_ATTEMPTS
    delivery.claimed_until = None
    delivery.response_status = outcome.status
    if outcome.ok:
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
    else:
        delivery.last_error = outcome.error[:500]
        if final:
            delivery.status = Delivery.Status.FAILED
    delivery.save(
        update_fields=["claimed_until", "response_status", "status", "sent_at", "last_error"]
    )
    return delivery


def retry_delay(delivery: Delivery) -> int | None:
    """Seconds until the next attempt of a delivery still pending, None when there is none."""
    if delivery.status != Delivery.Status.PENDING or delivery.attempts >= MAX_ATTEMPTS:
        return None
    return BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1]


@transaction.atomic
def delivery_retry(*, actor, delivery: Delivery) -> Delivery:
    """Try a failed delivery again, with a fresh set of attempts."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    require_within(actor, delivery.area_id)
    if delivery.status != Delivery.Status.FAILED:
        raise _error("status", _("Only a failed delivery can be retried"), "not_failed")
    delivery.status = Delivery.Status.PENDING
    delivery.attempts = 0
    delivery.claimed_until = None
    delivery.save(update_fields=["status", "attempts", "claimed_until"])
    _queue([delivery.pk])
    return delivery


def deliveries_stalled(*, older_than: int = 900) -> list[int]:
    """Pending deliveries nobody is working on (a worker died, a queue was lost)."""
    now = timezone.now()
    return list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            created_at__lt=now - datetime.timedelta(seconds=older_than),
        )
        .exclude(claimed_until__gt=now)
        .exclude(last_attempt_at__gt=now - datetime.timedelta(seconds=older_than))
        .values_list("pk", flat=True)[:500]
    )
