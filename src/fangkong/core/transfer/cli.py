"""What the `import`, `export` and `template` commands share."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from fangkong.core.models import Area
from fangkong.core.scope import is_within
from fangkong.core.services import Origin


def actor_and_scope(*, username: str | None, scope_code: str | None, permission: str):
    """The acting user (None for the command line itself) and the area the command works in.

    With --user, the import or export runs as that user, exactly as on the pages: the user
    must be active and hold `permission`, --scope (by default the user's scope) must lie
    inside the user's scope, and the access log names the user. Without --user it runs as
    the command line, that is whoever operates the server (who holds the keys anyway): the
    scope is --scope or, by default, the installation's district, and the access log names
    the command line.
    """
    if not username:
        return None, _command_line_scope(scope_code)
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


def _command_line_scope(scope_code: str | None) -> Area:
    """--scope, else the whole tree this installation serves: the district of
    FANGKONG_DISTRICT_CODE (the shipped area data also holds every province, so the tree has
    many roots), or the one top-level area of a tree loaded otherwise."""
    if scope_code:
        scope = Area.objects.filter(code=scope_code).first()
        if scope is None:
            raise CommandError(f"unknown area code {scope_code!r}")
        return scope
    district = Area.objects.filter(code=settings.FANGKONG_DISTRICT_CODE).first()
    if district is not None:
        return district
    roots = list(Area.objects.filter(parent__isnull=True).order_by("code")[:2])
    if not roots:
        raise CommandError("there are no areas yet: load them first (fangkong import areas)")
    if len(roots) > 1:
        raise CommandError(
            f"the district {settings.FANGKONG_DISTRICT_CODE} (FANGKONG_DISTRICT_CODE) is not in "
            "the area tree, which has several top-level areas: give --scope CODE (or --user)"
        )
    return roots[0]


def command_line_viewer(scope: Area):
    """Whom an export without --user is scoped to: a stand-in user, never saved, whose scope
    is `scope` and who may see every list (the selectors and filter forms take a user)."""
    viewer = get_user_model()(username="", is_active=True, is_superuser=True)
    viewer.scope = scope
    return viewer


def origin() -> Origin:
    return Origin.command_line()
