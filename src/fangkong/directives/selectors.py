"""Reads of directives, from the sender's side (the directive's area lies in the user's scope)
and from the recipient's side (a recipient unit covers the user's scope)."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from fangkong.core.scope import ancestor_codes
from fangkong.directives.models import Attachment, Directive, Feedback, Recipient

SEND = "directives.send_directive"
SIGN = "directives.sign_directive"
VIEW = "directives.view_directive"


# -- sender side ----------------------------------------------------------------------------


def sent_queryset(*, user) -> QuerySet:
    """Directives sent (or drafted) by a unit in the user's scope; nothing without `send`."""
    if not user.has_perm(SEND):
        return Directive.objects.none()
    return Directive.objects.for_user(user)


def with_progress(queryset: QuerySet) -> QuerySet:
    now = timezone.now()
    return queryset.annotate(
        recipient_total=Count("recipients", distinct=True),
        signed_total=Count("recipients", filter=Q(recipients__signed_at__isnull=False)),
        answered_total=Count("recipients", filter=Q(recipients__feedback_count__gt=0)),
        overdue_total=Count(
            "recipients",
            filter=Q(deadline__lt=now, state=Directive.State.SENT)
            & (Q(recipients__signed_at__isnull=True) | Q(recipients__feedback_count=0)),
        ),
    )


def sent_list(*, user, state: str = "", q: str = "") -> QuerySet:
    directives = sent_queryset(user=user)
    if state:
        directives = directives.filter(state=state)
    if q:
        directives = directives.filter(Q(title__contains=q) | Q(number__contains=q))
    return with_progress(directives.select_related("area")).order_by(
        "-sent_at", "-created_at", "-id"
    )


def recipients_of(directive: Directive) -> QuerySet:
    return (
        Recipient.objects.filter(directive=directive)
        .select_related("area", "signed_by")
        .order_by("area_id")
    )


def recipient_status(directive: Directive) -> list[Recipient]:
    """Recipient rows with their latest feedback as `latest` (None when unanswered)."""
    recipients = list(recipients_of(directive))
    latest: dict[int, Feedback] = {}
    feedbacks = (
        Feedback.objects.filter(directive=directive)
        .select_related("created_by")
        .prefetch_related("attachments")
        .order_by("recipient_id", "-created_at", "-id")
    )
    for feedback in feedbacks:
        latest.setdefault(feedback.recipient_id, feedback)
    now = timezone.now()
    for recipient in recipients:
        recipient.directive = directive
        recipient.latest = latest.get(recipient.pk)
        recipient.lagging = not recipient.is_signed or not recipient.feedback_count
        recipient.overdue = (
            recipient.lagging
            and directive.state == Directive.State.SENT
            and directive.deadline < now
        )
    return recipients


def units_below(*, user, recipient: Recipient) -> list[Recipient]:
    """The other recipient units of the directive inside both the recipient's unit and the
    user's scope: a town follows its villages' signing of a directive the district sent to
    them all."""
    below = (
        recipients_of(recipient.directive)
        .within(recipient.area_id)
        .within(user.scope_id)
        .exclude(pk=recipient.pk)
    )
    directive = recipient.directive
    now = timezone.now()
    rows = list(below)
    for row in rows:
        row.lagging = not row.is_signed or not row.feedback_count
        row.overdue = (
            row.lagging and directive.state == Directive.State.SENT and (directive.deadline < now)
        )
    return rows


# -- recipient side -------------------------------------------------------------------------


def received_queryset(*, user) -> QuerySet:
    """Recipient rows of sent directives that the user acts for: the deepest recipient unit
    of each directive that is the user's scope or above it.

    A directive to a town and its villages is the village's to sign for its staff and the
    town's for the town's people; one to the town alone is the town's for everyone in it.
    """
    if not user.is_authenticated or not user.scope_id or not user.has_perm(SIGN):
        return Recipient.objects.none()
    ancestors = ancestor_codes(user.scope_id)
    # Among codes on one branch the longer, deeper one also sorts later.
    deeper = Recipient.objects.filter(
        directive=OuterRef("directive"), area_id__in=ancestors, area_id__gt=OuterRef("area_id")
    )
    return Recipient.objects.filter(
        ~Exists(deeper),
        area_id__in=ancestors,
        directive__state__in=[Directive.State.SENT, Directive.State.CLOSED],
    )


def to_sign(*, user) -> QuerySet:
    """The home counter: directives still open and not signed for by the user's unit."""
    return received_queryset(user=user).filter(
        signed_at__isnull=True, directive__state=Directive.State.SENT
    )


RECEIVED_FILTERS = ("unsigned", "unanswered", "all")


def received_list(*, user, show: str = "") -> QuerySet:
    recipients = received_queryset(user=user).select_related("directive", "directive__area", "area")
    if show == "unsigned":
        recipients = recipients.filter(signed_at__isnull=True)
    elif show == "unanswered":
        recipients = recipients.filter(feedback_count=0)
    return recipients.order_by("signed_at", "-directive__sent_at", "-id")


def feedbacks_of(recipient: Recipient) -> QuerySet:
    return (
        Feedback.objects.filter(recipient=recipient)
        .select_related("created_by")
        .prefetch_related("attachments")
        .order_by("-created_at", "-id")
    )


def directive_attachments(directive: Directive) -> list[Attachment]:
    return list(Attachment.objects.filter(directive=directive, feedback__isnull=True))


# -- attachments ----------------------------------------------------------------------------


def attachment_for(*, user, pk: int) -> Attachment | None:
    """The attachment if the user may see it: the sender's side sees every file of the
    directive; a recipient unit sees the directive's files and its own feedback's files."""
    attachment = Attachment.objects.select_related("directive", "feedback").filter(pk=pk).first()
    if attachment is None:
        return None
    directive = attachment.directive
    if sent_queryset(user=user).filter(pk=directive.pk).exists():
        return attachment
    mine = received_queryset(user=user).filter(directive=directive)
    if attachment.feedback_id is not None:
        mine = mine.filter(pk=attachment.feedback.recipient_id)
    return attachment if mine.exists() else None
