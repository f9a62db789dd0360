"""accounts.backends.OneQueryModelBackend answers what Django's ModelBackend answers, in one
query (it runs on every API call)."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from fangkong.accounts.backends import OneQueryModelBackend
from tests import factories

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_it_finds_group_and_own_permissions_in_one_query(users, tree, django_assert_num_queries):
    user = factories.user("both", tree.town, "checkpoint_staff", "medical")
    user.user_permissions.add(Permission.objects.get(codename="reveal_pii"))
    loaded = fresh(user)
    with django_assert_num_queries(1):
        ours = OneQueryModelBackend().get_all_permissions(loaded)
    assert ours == ModelBackend().get_all_permissions(fresh(user))
    assert "people.reveal_pii" in ours and "checkpoints.add_vehiclecheck" in ours


def test_it_gives_nothing_to_inactive_or_roleless_users(users, tree):
    idle = factories.user("idle", tree.town, "town_admin")
    idle.is_active = False
    idle.save()
    norole = factories.user("bare", tree.town)
    backend = OneQueryModelBackend()
    assert backend.get_all_permissions(fresh(idle)) == set()
    assert not fresh(idle).has_perm("people.view_person")
    assert backend.get_all_permissions(fresh(norole)) == set()


def test_it_sees_a_role_removed_on_the_next_request(users, tree):
    user = factories.user("moved", tree.town, "town_admin")
    assert fresh(user).has_perm("people.view_person")
    user.groups.clear()
    assert not fresh(user).has_perm("people.view_person")


def test_it_gives_a_superuser_everything(users, tree):
    root = factories.user("root", tree.town)
    root.is_superuser = True
    root.save()
    assert fresh(root).has_perm("ledger.resolve_push")
