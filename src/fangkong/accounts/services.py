from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.accounts.roles import ROLES
from fangkong.core.models import Area
from fangkong.core.scope import is_within


@transaction.atomic
def roles_sync() -> dict[str, Group]:
    """Make one auth group per role with exactly the permissions the role table names."""
    groups = {}
    wanted = {perm for _label, perms in ROLES.values() for perm in perms}
    by_name = {}
    for perm in Permission.objects.select_related("content_type"):
        key = f"{perm.content_type.app_label}.{perm.codename}"
        if key in wanted:
            by_name[key] = perm
    missing = wanted - by_name.keys()
    if missing:
        raise RuntimeError(f"roles name unknown permissions: {sorted(missing)}")
    for name, (_label, perms) in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([by_name[p] for p in perms])
        groups[name] = group
    return groups


def role_permissions(role: str) -> set[str]:
    return set(ROLES[role][1])


def roles_grantable_by(actor: User) -> list[str]:
    """Roles whose permissions the actor holds all of: no one grants more than they have."""
    if actor.is_superuser:
        return list(ROLES)
    held = actor.get_all_permissions()
    return [name for name, (_label, perms) in ROLES.items() if set(perms) <= held]


def _check_grant(*, actor: User | None, scope: Area, roles: list[str]) -> None:
    unknown = set(roles) - ROLES.keys()
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %s") % ", ".join(sorted(unknown))})
    if actor is None:
        return
    if not is_within(scope.code, actor.scope_id):
        raise ValidationError({"scope": _("This area is outside your scope")})
    forbidden = set(roles) - set(roles_grantable_by(actor))
    if forbidden:
        labels = ", ".join(str(ROLES[r][0]) for r in sorted(forbidden))
        raise ValidationError({"roles": _("You cannot grant these roles: %s") % labels})


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    scope: Area,
    roles: list[str],
    full_name: str = "",
    phone: str = "",
    title: str = "",
) -> User:
    _check_grant(actor=actor, scope=scope, roles=roles)
    user = User(username=username, full_name=full_name, scope=scope, phone=phone, title=title)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    scope: Area,
    roles: list[str],
    full_name: str,
    phone: str = "",
    title: str = "",
    is_active: bool = True,
) -> User:
    _check_grant(actor=actor, scope=scope, roles=roles)
    if actor is not None and user.pk == actor.pk and not is_active:
        raise ValidationError({"is_active": _("You cannot deactivate your own account")})
    user = User.objects.select_for_update().get(pk=user.pk)
    user.scope = scope
    user.full_name = full_name
    user.phone = phone
    user.title = title
    user.is_active = is_active
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> None:
    from django.contrib.auth.password_validation import validate_password

    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
