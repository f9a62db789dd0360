"""Writing to inboxes. Domain services call these inside their own transaction, so a
notification exists exactly when what it announces does."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from fangkong.core.models import Area
from fangkong.core.scope import ancestor_codes, is_within
from fangkong.inbox.models import Notification


def _holder_rows(codes, permission: str) -> set[tuple[int, str]]:
    """(id, scope) of the active users holding `permission` whose scope covers any of `codes`.

    Plain SQL on purpose: this runs for every vehicle a checkpoint pushes, and the ORM spent
    about 5 ms compiling the equivalent query (two EXISTS through the permission tables)
    for 0.3 ms of database work; a fixed text is also planned once by PostgreSQL.
    """
    app_label, codename = permission.split(".", 1)
    User = get_user_model()
    qn = connection.ops.quote_name
    user = qn(User._meta.db_table)
    user_groups = qn(User.groups.through._meta.db_table)
    user_perms = qn(User.user_permissions.through._meta.db_table)
    group_perms = qn(Group.permissions.through._meta.db_table)
    perm = qn(Permission._meta.db_table)
    content_type = qn(ContentType._meta.db_table)
    scopes = sorted({scope for code in codes for scope in ancestor_codes(code)})
    sql = f"""
        SELECT u.id, u.scope_id FROM {user} u
        WHERE u.is_active AND u.scope_id IN ({", ".join(["%s"] * len(scopes))})
          AND (
            EXISTS (
              SELECT 1 FROM {user_groups} ug
              JOIN {group_perms} gp ON gp.group_id = ug.group_id
              JOIN {perm} p ON p.id = gp.permission_id
              JOIN {content_type} ct ON ct.id = p.content_type_id
              WHERE ug.user_id = u.id AND p.codename = %s AND ct.app_label = %s)
            OR EXISTS (
              SELECT 1 FROM {user_perms} up
              JOIN {perm} p ON p.id = up.permission_id
              JOIN {content_type} ct ON ct.id = p.content_type_id
              WHERE up.user_id = u.id AND p.codename = %s AND ct.app_label = %s))
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scopes, codename, app_label, codename, app_label])
        return {(pk, scope) for pk, scope in cursor.fetchall()}


def _responsible(rows: set[tuple[int, str]], code: str, nearest: bool) -> list[int]:
    rows = {(pk, scope) for pk, scope in rows if is_within(code, scope)}
    if nearest and rows:
        deepest = max(len(scope) for _id, scope in rows)
        rows = {(pk, scope) for pk, scope in rows if len(scope) == deepest}
    return sorted(pk for pk, _scope in rows)


def _responsible_ids(code: str, permission: str, nearest: bool) -> list[int]:
    return _responsible(_holder_rows([code], permission), code, nearest)


def users_responsible(*, area: Area | str, permission: str, nearest: bool = False) -> QuerySet:
    """Active users holding `permission` whose scope covers `area`.

    `nearest`: only those of the deepest level that has any (the village before its town),
    so a push reaches the people who act on it and climbs only when nobody is below.
    """
    code = area if isinstance(area, str) else area.code
    ids = _responsible_ids(code, permission, nearest)
    return get_user_model().objects.filter(pk__in=ids)


# Called with the rows of every insert of notifications, inside its transaction: other apps
# (channels) register here from their AppConfig.ready, so the inbox imports none of them.
_written_listeners: list = []


def on_notifications_written(listener) -> None:
    """Register `listener(rows)`; it runs in the writer's transaction (queue work on commit)."""
    if listener not in _written_listeners:
        _written_listeners.append(listener)


def _written(rows: list[Notification]) -> None:
    if rows:
        for listener in _written_listeners:
            listener(rows)


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
    return notifications_send_many(
        messages=[
            {
                "users": users,
                "area": area,
                "kind": kind,
                "title": title,
                "body": body,
                "url": url,
                "target_type": target_type,
                "target_id": target_id,
            }
        ]
    )


def notifications_send_many(*, messages) -> int:
    """notification_send for many messages (dicts of its arguments) in one insert."""
    rows = [row for message in messages for row in _rows(**message)]
    Notification.objects.bulk_create(rows)
    _written(rows)
    return len(rows)


def _rows(
    *, users, area, kind, title, body="", url="", target_type="", target_id=""
) -> list[Notification]:
    area_id = area if isinstance(area, str) else area.code
    return [
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


def notification_notify(
    *, area: Area | str, permission: str, nearest: bool = False, **message
) -> int:
    """Notify whoever is responsible for `area` with `permission` (see users_responsible)."""
    return notifications_notify_many(
        permission=permission, nearest=nearest, messages=[{"area": area, **message}]
    )


def notifications_notify_many(*, permission: str, nearest: bool = False, messages) -> int:
    """notification_notify for many messages (each a dict with its `area`), asking who is
    responsible once and writing every row in one insert; returns how many were written."""
    messages = list(messages)
    if not messages:
        return 0
    codes = [m["area"] if isinstance(m["area"], str) else m["area"].code for m in messages]
    holders = _holder_rows(codes, permission)
    rows = []
    for code, message in zip(codes, messages, strict=True):
        users = _responsible(holders, code, nearest)
        rows.extend(_rows(users=users, **{**message, "area": code}))
    Notification.objects.bulk_create(rows)
    _written(rows)
    return len(rows)


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
