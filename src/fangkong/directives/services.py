"""Every change to directives: drafting, sending, signing, feedback, reminders, closing.

The guarantees live here: a directive's number is taken from its area's counter for the year
under a row lock, so two directives sent at once never share one; a unit signs once (its
recipient row is locked and checked, and the sign is a conditional update); a reminder goes
to a unit at most once a day; every file is checked before anything is written, so a refused
upload leaves neither rows nor files behind.
"""

import datetime
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.accounts.roles import ROLES
from fangkong.core.models import Area
from fangkong.core.scope import ancestor_codes, is_within, require_within, scope_filter
from fangkong.directives.models import Attachment, Directive, Feedback, NumberCounter, Recipient
from fangkong.inbox.models import Notification
from fangkong.inbox.services import notification_send, notifications_resolve

SIGN = "directives.sign_directive"

# Office documents (MS Office and WPS), PDF, images and zip archives, each with the first
# bytes its format starts with, so a renamed executable is refused too.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
ALLOWED_TYPES: dict[str, tuple[bytes, ...]] = {
    ".doc": (OLE2,),
    ".xls": (OLE2,),
    ".ppt": (OLE2,),
    ".wps": (OLE2,),
    ".et": (OLE2,),
    ".dps": (OLE2,),
    ".docx": (ZIP,),
    ".xlsx": (ZIP,),
    ".pptx": (ZIP,),
    ".zip": (ZIP, b"PK\x05\x06"),
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
}
# Overridable in settings (FANGKONG_DIRECTIVE_MAX_FILE_MB) for offices that send scans.
DEFAULT_MAX_FILE_MB = 20
MAX_FILES = 10


def max_file_bytes() -> int:
    return int(getattr(settings, "FANGKONG_DIRECTIVE_MAX_FILE_MB", DEFAULT_MAX_FILE_MB)) * 2**20


def sign_roles() -> list[str]:
    """Roles that may sign for a directive: the ones a sender may address."""
    return [name for name, (_label, perms) in ROLES.items() if SIGN in perms]


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def check_files(files, field: str = "files") -> None:
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise _error(
            field, _("Attach at most %(count)d files at a time") % {"count": MAX_FILES}, "count"
        )
    limit = max_file_bytes()
    for upload in files:
        name = PurePath(upload.name or "").name
        suffix = PurePath(name).suffix.lower()
        if suffix not in ALLOWED_TYPES:
            raise _error(
                field,
                _("%(name)s: only office documents, PDF, images and zip files are accepted")
                % {"name": name},
                "type",
            )
        if upload.size > limit:
            raise _error(
                field,
                _("%(name)s is larger than %(limit)d MB") % {"name": name, "limit": limit // 2**20},
                "size",
            )
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in ALLOWED_TYPES[suffix]):
            raise _error(
                field,
                _("%(name)s is not a valid %(type)s file") % {"name": name, "type": suffix[1:]},
                "type",
            )


def _store_files(*, actor, directive, feedback, area_id: str, files) -> list[Attachment]:
    stored = []
    try:
        for upload in files or []:
            attachment = Attachment(
                directive=directive,
                feedback=feedback,
                area_id=area_id,
                name=PurePath(upload.name).name[:200],
                size=upload.size,
                uploaded_by=actor,
            )
            attachment.file.save(upload.name, upload, save=False)
            attachment.save()
            stored.append(attachment)
    except Exception:
        # The transaction drops the rows; the files it wrote go with them.
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return stored


def _check_fields(*, title: str, deadline, now) -> str:
    title = (title or "").strip()
    if not title:
        raise _error("title", _("Give the directive a title"), "required")
    if deadline is None:
        raise _error("deadline", _("Set a deadline"), "required")
    if deadline <= now:
        raise _error("deadline", _("The deadline must be in the future"), "past")
    return title


def _check_units(actor_scope: str, areas) -> list[Area]:
    areas = list({area.code: area for area in areas or []}.values())
    if not areas:
        raise _error("areas", _("Choose at least one recipient unit"), "required")
    for area in areas:
        # Strictly below the sender: a unit does not send to itself or above.
        if not is_within(area.code, actor_scope) or area.code == actor_scope:
            raise _error(
                "areas",
                _("%(area)s is outside your scope") % {"area": area.name},
                "scope",
            )
        if area.level > Area.Level.VILLAGE:
            raise _error("areas", _("Send to towns and villages, not to grids"), "level")
    return sorted(areas, key=lambda a: a.code)


def _check_roles(roles) -> list[str]:
    roles = sorted(set(roles or []))
    allowed = set(sign_roles())
    if not roles:
        raise _error("roles", _("Choose at least one role to notify"), "required")
    if not set(roles) <= allowed:
        raise _error("roles", _("These roles cannot sign for a directive"), "invalid")
    return roles


def _sender_scope(actor) -> str:
    if actor is None or not actor.scope_id:
        raise _error("area", _("You have no scope to send from"), "scope")
    return actor.scope_id


@transaction.atomic
def directive_create(
    *,
    actor,
    kind: str = Directive.Kind.NOTICE,
    title: str,
    body: str = "",
    deadline: datetime.datetime,
    areas,
    roles,
    files=(),
    send: bool = False,
) -> Directive:
    """A draft from the sender's scope; with `send`, sent in the same transaction."""
    scope = _sender_scope(actor)
    now = timezone.now()
    title = _check_fields(title=title, deadline=deadline, now=now)
    units = _check_units(scope, areas)
    roles = _check_roles(roles)
    check_files(files)
    directive = Directive(
        area_id=scope,
        kind=kind,
        title=title,
        body=(body or "").strip(),
        deadline=deadline,
        roles=roles,
        created_by=actor,
    )
    directive.full_clean()
    directive.save()
    Recipient.objects.bulk_create(Recipient(directive=directive, area=unit) for unit in units)
    if send:
        directive = directive_send(actor=actor, directive=directive)
    # Files last: nothing after them can refuse the change and strand them.
    _store_files(actor=actor, directive=directive, feedback=None, area_id=scope, files=files)
    return directive


def _draft_for_update(actor, directive) -> Directive:
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    require_within(actor, directive.area_id)
    if directive.state != Directive.State.DRAFT:
        raise _error("state", _("Only a draft can be changed"), "state")
    return directive


@transaction.atomic
def directive_update(
    *,
    actor,
    directive: Directive,
    kind: str,
    title: str,
    body: str = "",
    deadline: datetime.datetime,
    areas,
    roles,
    files=(),
    send: bool = False,
) -> Directive:
    directive = _draft_for_update(actor, directive)
    title = _check_fields(title=title, deadline=deadline, now=timezone.now())
    units = _check_units(directive.area_id, areas)
    roles = _check_roles(roles)
    check_files(files)
    directive.kind = kind
    directive.title = title
    directive.body = (body or "").strip()
    directive.deadline = deadline
    directive.roles = roles
    directive.full_clean()
    directive.save()
    wanted = {unit.code for unit in units}
    directive.recipients.exclude(area_id__in=wanted).delete()
    have = set(directive.recipients.values_list("area_id", flat=True))
    Recipient.objects.bulk_create(
        Recipient(directive=directive, area=unit) for unit in units if unit.code not in have
    )
    if send:
        directive = directive_send(actor=actor, directive=directive)
    _store_files(
        actor=actor, directive=directive, feedback=None, area_id=directive.area_id, files=files
    )
    return directive


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    """Take a file off a draft."""
    _draft_for_update(actor, attachment.directive)
    if attachment.feedback_id is not None:
        raise _error("file", _("Feedback files cannot be removed"), "state")
    name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def short_name(area: Area) -> str:
    """The one character a district's document numbers start with: 临淄区 -> 临."""
    return (area.name or "")[:1]


def _next_number(area: Area, year: int) -> int:
    counter, _created = NumberCounter.objects.get_or_create(area=area, year=year)
    counter = NumberCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def directive_send(*, actor, directive: Directive) -> Directive:
    """Number the draft, mark it sent and notify the chosen roles at every recipient unit."""
    directive = Directive.objects.select_for_update().select_related("area").get(pk=directive.pk)
    require_within(actor, directive.area_id)
    if directive.state != Directive.State.DRAFT:
        raise _error("state", _("This directive has already been sent"), "state")
    now = timezone.now()
    _check_fields(title=directive.title, deadline=directive.deadline, now=now)
    units = list(directive.recipients.select_related("area"))
    _check_units(directive.area_id, [r.area for r in units])
    _check_roles(directive.roles)
    year = timezone.localdate(now).year
    directive.year = year
    directive.sequence = _next_number(directive.area, year)
    directive.number = f"{short_name(directive.area)}防指〔{year}〕{directive.sequence}号"
    directive.state = Directive.State.SENT
    directive.sent_at = now
    directive.sent_by = actor
    directive.full_clean()
    directive.save()
    holders = _role_holders(directive)
    codes = {r.area_id for r in units}
    for recipient in units:
        _notify_unit(directive, recipient, holders, codes, reminder=False)
    return directive


def _role_holders(directive: Directive) -> list[tuple[int, str]]:
    """(id, scope) of the active users below the sender holding one of the chosen roles."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=directive.roles)
        .filter(scope_filter("scope", directive.area_id))
        .values_list("pk", "scope_id")
        .distinct()
    )


def unit_of(scope: str, units: set[str]) -> str | None:
    """The recipient unit a user of `scope` acts for: the deepest of `units` covering it."""
    for code in reversed(ancestor_codes(scope)):
        if code in units:
            return code
    return None


def _notify_unit(directive, recipient, holders, units: set[str], *, reminder: bool) -> int:
    users = sorted({pk for pk, scope in holders if unit_of(scope, units) == recipient.area_id})
    title = _("Reminder: %(title)s") % {"title": directive.title} if reminder else directive.title
    body = _("%(number)s, sign for it and answer by %(deadline)s") % {
        "number": directive.number,
        "deadline": timezone.localtime(directive.deadline).strftime("%Y-%m-%d %H:%M"),
    }
    return notification_send(
        users=users,
        area=recipient.area_id,
        kind=Notification.Kind.DIRECTIVE,
        title=title,
        body=body,
        target_type="directive_recipient",
        target_id=recipient.pk,
    )


def _recipient_for_update(actor, recipient: Recipient) -> Recipient:
    recipient = (
        Recipient.objects.select_for_update()
        .select_related("directive", "area")
        .get(pk=recipient.pk)
    )
    # Only the unit's own people act for it: a scope at the unit or inside it, and not
    # inside a deeper recipient unit of the same directive (that one is theirs).
    if actor is not None and (
        not actor.has_perm(SIGN)
        or not actor.scope_id
        or _unit_for(actor.scope_id, recipient.directive_id) != recipient.area_id
    ):
        raise _error("area", _("You cannot act for this unit"), "scope")
    if recipient.directive.state != Directive.State.SENT:
        raise _error("state", _("This directive is closed"), "state")
    return recipient


def _unit_for(scope: str, directive_id: int) -> str | None:
    return (
        Recipient.objects.filter(directive_id=directive_id, area_id__in=ancestor_codes(scope))
        .order_by("-area_id")
        .values_list("area_id", flat=True)
        .first()
    )


@transaction.atomic
def recipient_sign(*, actor, recipient: Recipient) -> Recipient:
    recipient = _recipient_for_update(actor, recipient)
    if recipient.signed_at is not None:
        raise _error("signed_at", _("This unit has already signed for the directive"), "signed")
    now = timezone.now()
    # Conditional as well as locked: a unit signs once whatever the isolation level.
    won = Recipient.objects.filter(pk=recipient.pk, signed_at__isnull=True).update(
        signed_at=now, signed_by=actor
    )
    if not won:
        raise _error("signed_at", _("This unit has already signed for the directive"), "signed")
    recipient.signed_at, recipient.signed_by = now, actor
    notifications_resolve(
        target_type="directive_recipient", target_id=recipient.pk, kind=Notification.Kind.DIRECTIVE
    )
    return recipient


@transaction.atomic
def feedback_submit(*, actor, recipient: Recipient, text: str, files=()) -> Feedback:
    recipient = _recipient_for_update(actor, recipient)
    if recipient.signed_at is None:
        raise _error("text", _("Sign for the directive before answering it"), "unsigned")
    text = (text or "").strip()
    if not text:
        raise _error("text", _("Write the feedback"), "required")
    check_files(files)
    now = timezone.now()
    directive = recipient.directive
    feedback = Feedback(
        recipient=recipient,
        directive=directive,
        area_id=recipient.area_id,
        text=text,
        late=now > directive.deadline,
        created_by=actor,
    )
    feedback.full_clean()
    feedback.save()
    recipient.feedback_count += 1
    recipient.last_feedback_at = feedback.created_at
    recipient.save(update_fields=["feedback_count", "last_feedback_at"])
    if directive.sent_by_id and directive.sent_by.is_active:
        notification_send(
            users=[directive.sent_by_id],
            area=directive.area_id,
            kind=Notification.Kind.DIRECTIVE_FEEDBACK,
            title=_("%(unit)s answered: %(title)s")
            % {"unit": recipient.area.name, "title": directive.title},
            body=text[:200],
            target_type="directive",
            target_id=directive.pk,
        )
    _store_files(
        actor=actor, directive=directive, feedback=feedback, area_id=recipient.area_id, files=files
    )
    return feedback


def _is_lagging(recipient: Recipient) -> bool:
    return recipient.signed_at is None or recipient.feedback_count == 0


@transaction.atomic
def recipient_remind(*, actor, recipient: Recipient) -> bool:
    """Remind one unit; False when it needs none or was reminded today already."""
    return _remind(actor, recipient.directive, [recipient.pk]) == 1


@transaction.atomic
def directive_remind_laggards(*, actor, directive: Directive) -> int:
    """Remind every unit that has not signed or not answered; returns how many were."""
    pks = [r.pk for r in directive.recipients.all() if _is_lagging(r)]
    return _remind(actor, directive, pks)


def _remind(actor, directive: Directive, pks: list[int]) -> int:
    directive = Directive.objects.select_related("area").get(pk=directive.pk)
    require_within(actor, directive.area_id)
    if directive.state != Directive.State.SENT:
        raise _error("state", _("Only a sent directive can be reminded of"), "state")
    return _remind_units(directive, pks)


def remind_hours() -> int:
    return settings.FANGKONG_DIRECTIVE_REMIND_HOURS


def directives_remind_due(*, now: datetime.datetime | None = None) -> int:
    """Remind the lagging units of every sent directive due within the next
    FANGKONG_DIRECTIVE_REMIND_HOURS, as the sender's "remind all" would; a unit reminded
    today already (by hand or by an earlier run) is skipped, so the periodic task may run
    often. Returns how many units were reminded."""
    now = now or timezone.now()
    due = Directive.objects.filter(
        state=Directive.State.SENT,
        deadline__gt=now,
        deadline__lte=now + datetime.timedelta(hours=remind_hours()),
    )
    reminded = 0
    for directive in due.select_related("area"):
        # One transaction per directive: a failure leaves the others reminded.
        with transaction.atomic():
            lagging = directive.recipients.filter(
                Q(signed_at__isnull=True) | Q(feedback_count=0)
            ).values_list("pk", flat=True)
            reminded += _remind_units(directive, list(lagging))
    return reminded


def _remind_units(directive: Directive, pks: list[int]) -> int:
    today = timezone.localdate()
    recipients = list(
        Recipient.objects.select_for_update()
        .filter(directive=directive, pk__in=pks)
        .select_related("area")
        .order_by("pk")
    )
    due = [r for r in recipients if _is_lagging(r) and r.reminded_on != today]
    if not due:
        return 0
    holders = _role_holders(directive)
    codes = set(directive.recipients.values_list("area_id", flat=True))
    for recipient in due:
        _notify_unit(directive, recipient, holders, codes, reminder=True)
    Recipient.objects.filter(pk__in=[r.pk for r in due]).update(reminded_on=today)
    return len(due)


@transaction.atomic
def directive_close(*, actor, directive: Directive) -> Directive:
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    require_within(actor, directive.area_id)
    if directive.state != Directive.State.SENT:
        raise _error("state", _("Only a sent directive can be closed"), "state")
    directive.state = Directive.State.CLOSED
    directive.closed_at = timezone.now()
    directive.save(update_fields=["state", "closed_at"])
    for pk in directive.recipients.values_list("pk", flat=True):
        notifications_resolve(target_type="directive_recipient", target_id=pk)
    return directive
