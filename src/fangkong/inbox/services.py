"""Writing to inboxes. Domain services call these inside their own transaction, so a
notification exists exactly when what it announces does."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from fangkong.core.models import Area
from fangkong.inbox.models import Notification

# Significant lengths of area codes, province to grid.
CODE_LENGTHS = (2, 4, 6, 9, 12, 15)


def _ancestor_codes(code: str) -> list[str]:
    return [code[:n] for n in CODE_LENGTHS if n <= len(code)]


def _holders(code: str, permission: str) -> QuerySet:
    app_label, codename = permission.split(".", 1)
    holds = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    return get_user_model().objects.filter(
        holds, is_active=True, scope_id__in=_ancestor_codes(code)
    )


def _responsible_ids(code: str, permission: str, nearest: bool) -> list[int]:
    # One query: notifying is on the path of every checkpoint registration that pushes.
    rows = set(_holders(code, permission).values_list("id", "scope_id"))
    if nearest and rows:
        deepest = max(len(scope) for _id, scope in rows)
        rows = {(pk, scope) for pk, scope in rows if len(scope) == deepest}
    return sorted(pk for pk, _scope in rows)


def users_responsible(*, area: Area | str, permission: str, nearest: bool = False) -> QuerySet:
    """Active users holding `permission` whose scope covers `area`.

    `nearest`: only those of the deepest level that has any (the village before its town),
    so a push reaches the people who act on it and climbs only when nobody is below.
    """
    code = area if isinstance(area, str) else area.code
    ids = _responsible_ids(code, permission, nearest)
    return get_user_model().objects.filter(pk__in=ids)


def notification_send(
    *,
    users,
    area: Area | str,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    target_type: str = "",
    target_id: str | int = "",
) -> int:
    """One notification per user (a User or its id); returns how many were written."""
    area_id = area if isinstance(area, str) else area.code
    rows = [
        Notification(
            user_id=user if isinstance(user, int) else user.pk,
            area_id=area_id,
            kind=kind,
            title=str(title)[:200],
            body=str(body),
            url=url[:300],
            target_type=target_type,
            target_id=str(target_id),
        )
        for user in users
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notification_notify(
    *, area: Area | str, permission: str, nearest: bool = False, **message
) -> int:
    """Notify whoever is responsible for `area` with `permission` (see users_responsible)."""
    code = area if isinstance(area, str) else area.code
    users = _responsible_ids(code, permission, nearest)
    return notification_send(users=users, area=area, **message)


def notifications_resolve(*, target_type: str, target_id: str | int, kind: str = "") -> int:
    """Mark the open notifications about an object done: its action was taken (by anyone)."""
    open_ones = Notification.objects.filter(
        target_type=target_type, target_id=str(target_id), resolved_at__isnull=True
    )
    if kind:
        open_ones = open_ones.filter(kind=kind)
    return open_ones.update(resolved_at=timezone.now())


def notification_read(*, user, notification: Notification) -> Notification:
    if notification.user_id != user.pk:
        raise PermissionError("not this user's notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, user) -> int:
    """Mark every unread notification of `user` read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
