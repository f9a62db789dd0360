import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from fangkong.accounts.models import User
from fangkong.accounts.roles import ROLES
from fangkong.accounts.services import roles_grantable_by, roles_sync, user_create, user_update


def test_it_makes_one_group_per_role_with_its_permissions(db):
    roles_sync()
    roles_sync()  # idempotent
    assert set(Group.objects.values_list("name", flat=True)) == set(ROLES)
    village = Group.objects.get(name="village_staff")
    codenames = set(village.permissions.values_list("codename", flat=True))
    assert {"view_person", "change_person", "reveal_pii"} <= codenames
    assert "view_accesslog" not in codenames


def test_it_lets_an_admin_grant_only_roles_within_their_own_permissions(users):
    grantable = roles_grantable_by(users.town)
    assert "village_staff" in grantable and "grid_worker" in grantable
    assert "task_medical" in grantable  # a subset of what a town admin holds
    assert roles_grantable_by(users.village) == [
        name for name in ROLES if set(ROLES[name][1]) <= users.village.get_all_permissions()
    ]
    assert "town_admin" not in roles_grantable_by(users.village)


def test_it_refuses_a_grant_above_the_actors_permissions(tree, users):
    users.village.groups.add(Group.objects.get(name="town_admin"))  # to reach the service
    actor = User.objects.get(pk=users.grid.pk)
    with pytest.raises(ValidationError) as exc:
        user_create(actor=actor, username="x", password="p", scope=tree.grid, roles=["town_admin"])
    assert "roles" in exc.value.message_dict
    assert not User.objects.filter(username="x").exists()


def test_it_refuses_a_scope_outside_the_actors_scope(tree, users):
    with pytest.raises(ValidationError) as exc:
        user_create(
            actor=users.town,
            username="x",
            password="p",
            scope=tree.other_village,
            roles=["grid_worker"],
        )
    assert "scope" in exc.value.message_dict
    assert not User.objects.filter(username="x").exists()


def test_it_refuses_unknown_roles(tree, users):
    with pytest.raises(ValidationError):
        user_create(actor=None, username="x", password="p", scope=tree.grid, roles=["root"])


def test_it_does_not_let_an_admin_deactivate_themselves(tree, users):
    with pytest.raises(ValidationError) as exc:
        user_update(
            actor=users.town,
            user=users.town,
            scope=tree.town,
            roles=["town_admin"],
            full_name="镇管理员",
            is_active=False,
        )
    assert "is_active" in exc.value.message_dict
    users.town.refresh_from_db()
    assert users.town.is_active


def test_it_moves_a_user_within_scope(tree, users):
    updated = user_update(
        actor=users.town,
        user=users.grid,
        scope=tree.grid3,
        roles=["grid_worker", "village_staff"],
        full_name="网格员",
    )
    assert updated.scope_id == tree.grid3.code
    assert set(updated.groups.values_list("name", flat=True)) == {"grid_worker", "village_staff"}
