from django.contrib.auth.models import Permission

from fangkong.inbox.models import Notification
from fangkong.inbox.services import notification_notify, users_responsible
from tests import factories


def _names(users) -> set[str]:
    return set(users.values_list("username", flat=True))


def test_it_finds_everyone_above_the_area_holding_the_permission(users, tree):
    found = users_responsible(area=tree.grid, permission="ledger.receive_push")
    # village_staff and town_admin hold it, command does not; grid_worker lacks it.
    assert _names(found) == {"village", "town"}
    found = users_responsible(area=tree.grid, permission="people.view_person")
    assert _names(found) == {"command", "town", "village", "grid"}


def test_it_never_reaches_other_branches_of_the_tree(users, tree):
    found = users_responsible(area=tree.other_grid, permission="ledger.receive_push")
    assert _names(found) == {"other_town"}


def test_nearest_keeps_only_the_deepest_level_that_has_anyone(users, tree):
    found = users_responsible(area=tree.grid, permission="ledger.receive_push", nearest=True)
    assert _names(found) == {"village"}
    # Nobody at 乙烯社区: it climbs to the town.
    found = users_responsible(area=tree.grid3, permission="ledger.receive_push", nearest=True)
    assert _names(found) == {"town"}
    # Nobody anywhere: nobody.
    found = users_responsible(area=tree.far_village, permission="ledger.receive_push", nearest=True)
    assert _names(found) == set()


def test_it_goes_by_group_or_direct_permission(users, tree):
    direct = factories.user("direct", tree.village2)
    direct.user_permissions.add(
        Permission.objects.get(codename="receive_push", content_type__app_label="ledger")
    )
    found = users_responsible(area=tree.grid3, permission="ledger.receive_push", nearest=True)
    assert _names(found) == {"direct"}
    # A permission of the same codename in another app is not the same permission.
    assert not users_responsible(area=tree.grid3, permission="people.receive_push").exists()


def test_it_excludes_inactive_users(users, tree):
    users.village.is_active = False
    users.village.save()
    found = users_responsible(area=tree.grid, permission="ledger.receive_push", nearest=True)
    assert _names(found) == {"town"}


def test_a_user_in_two_groups_is_notified_once(users, tree):
    from django.contrib.auth.models import Group

    users.village.groups.add(Group.objects.get(name="grid_worker"))
    sent = notification_notify(
        area=tree.grid,
        permission="people.view_person",
        nearest=True,
        kind=Notification.Kind.OTHER,
        title="x",
    )
    assert sent == 1
    assert Notification.objects.get().user == users.grid
    sent = notification_notify(
        area=tree.village, permission="people.view_person", kind="other", title="y"
    )
    assert sent == 3  # village, town, command: once each
