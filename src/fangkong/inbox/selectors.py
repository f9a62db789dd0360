"""Reads of the inbox: a user sees their own notifications, and only inside their scope."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from fangkong.inbox.models import Notification

# The badge counts up to this many; beyond it shows "99+".
BADGE_CAP = 99


def notification_queryset(*, user) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.for_user(user).filter(user=user)


def notification_list(*, user, unread: bool = False) -> QuerySet[Notification]:
    """Open ones first (newest first), then those done."""
    notifications = notification_queryset(user=user)
    if unread:
        notifications = notifications.unread()
    return notifications.annotate(
        done=Case(
            When(resolved_at__isnull=True, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("done", "-created_at", "-id")


def unread_count(*, user) -> int:
    """Unread notifications still open, counted up to BADGE_CAP + 1: one cheap query."""
    return notification_queryset(user=user).unread().open()[: BADGE_CAP + 1].count()
