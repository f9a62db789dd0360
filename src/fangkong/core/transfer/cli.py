"""What the `import`, `export` and `template` commands share."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from fangkong.core.models import Area
from fangkong.core.scope import is_within
from fangkong.core.services import Origin


def actor_and_scope(*, username: str | None, scope_code: str | None, permission: str):
    """The acting user and the area the command works in.

    A user is required: every import and export is recorded in the access log under the
    person who ran it, as on the pages. The user must hold `permission`, and --scope (by
    default the user's scope) must lie inside the user's scope.
    """
    if not username:
        raise CommandError(
            "give --user USERNAME: imports and exports are recorded in the access log "
            "under a user, who needs the permission and whose scope bounds the rows"
        )
    actor = get_user_model().objects.select_related("scope").filter(username=username).first()
    if actor is None or not actor.is_active:
        raise CommandError(f"no active user {username!r}")
    if not actor.has_perm(permission):
        raise CommandError(f"user {username!r} lacks the permission {permission}")
    if not actor.scope_id:
        raise CommandError(f"user {username!r} has no scope")
    code = scope_code or actor.scope_id
    scope = Area.objects.filter(code=code).first()
    if scope is None:
        raise CommandError(f"unknown area code {code!r}")
    if not is_within(scope.code, actor.scope_id):
        raise CommandError(f"{code} is outside the scope {actor.scope_id} of {username!r}")
    return actor, scope


def origin() -> Origin:
    return Origin.command_line()
