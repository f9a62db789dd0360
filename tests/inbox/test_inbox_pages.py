from django.urls import reverse
from django.utils import timezone

from fangkong.inbox import links
from fangkong.inbox.models import Notification
from fangkong.inbox.services import notifications_resolve
from tests.inbox.helpers import notify
from tests.ui.queries import queries_for

LIST = reverse("inbox:list")


def _order(body: str) -> list[int]:
    import re

    return [int(pk) for pk in re.findall(r'data-notification="(\d+)"', body)]


def test_it_lists_open_ones_first_then_done(client_for, users, tree):
    old_open = notify(users.village, tree.village, "旧")
    done = notify(users.village, tree.village, "已办", target_type="push", target_id=7)
    new_open = notify(users.village, tree.village, "新")
    notifications_resolve(target_type="push", target_id=7)
    notify(users.town, tree.town, "别人的")
    body = client_for(users.village).get(LIST).content.decode()
    assert _order(body) == [new_open.pk, old_open.pk, done.pk]
    assert "别人的" not in body


def test_it_filters_unread(client_for, users, tree):
    read = notify(users.village, tree.village, "甲")
    unread = notify(users.village, tree.village, "乙")
    read.read_at = timezone.now()
    read.save()
    body = client_for(users.village).get(LIST + "?unread=1").content.decode()
    assert _order(body) == [unread.pk]


def test_it_opens_the_action_and_marks_read(client_for, users, tree):
    notification = notify(
        users.village, tree.village, target_type="other_thing", url="/people/persons/"
    )
    response = client_for(users.village).get(
        reverse("inbox:notification_open", args=[notification.pk])
    )
    assert response.status_code == 302 and response["Location"] == "/people/persons/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_notification_is_visible_to_its_user_only(client_for, users, tree):
    notification = notify(users.village, tree.village)
    for user in (users.town, users.command, users.grid, users.norole):
        client = client_for(user)
        assert (
            client.get(reverse("inbox:notification_open", args=[notification.pk])).status_code
            == 404
        )
        assert (
            client.post(reverse("inbox:notification_read", args=[notification.pk])).status_code
            == 404
        )
        client.post(reverse("inbox:read_all"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_user_moved_to_another_scope_stops_seeing_it(client_for, users, tree):
    notification = notify(users.village, tree.village)
    users.village.scope = tree.other_village
    users.village.save()
    url = reverse("inbox:notification_open", args=[notification.pk])
    assert client_for(users.village).get(url).status_code == 404


def test_it_marks_one_read_with_htmx_and_all_read(client_for, users, tree):
    first = notify(users.village, tree.village, "甲")
    second = notify(users.village, tree.village, "乙")
    client = client_for(users.village)
    response = client.post(
        reverse("inbox:notification_read", args=[first.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert f'data-notification="{first.pk}"' in body and "data-unread" not in body
    assert client.post(reverse("inbox:read_all")).status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    second.refresh_from_db()
    assert second.read_at is not None


def test_it_links_each_target_type_and_falls_back(users, tree, monkeypatch):
    notification = notify(users.village, tree.village, target_type="push", target_id=3)
    monkeypatch.setitem(links.TARGETS, "push", "inbox:notification_open")
    assert links.target_url(notification) == reverse("inbox:notification_open", args=[3])
    # A URL name that does not exist (yet): the stored URL, else the inbox.
    monkeypatch.setitem(links.TARGETS, "push", "ledger:no_such_page")
    assert links.target_url(notification) == LIST
    notification.url = "/ledger/pushes/3/"
    assert links.target_url(notification) == "/ledger/pushes/3/"
    notification.url = "https://evil.example/"
    assert links.target_url(notification) == LIST
    notification.target_type = "unknown"
    notification.url = "//evil.example/"
    assert links.target_url(notification) == LIST


def test_the_list_costs_the_same_for_2_or_20(client_for, users, tree):
    for n in range(2):
        notify(users.village, tree.village, f"通知{n}", target_type="push", target_id=n)
    few = queries_for(client_for(users.village), LIST)
    for n in range(18):
        notify(users.village, tree.village, f"更多{n}", target_type="alert", target_id=n)
    assert queries_for(client_for(users.village), LIST) == few
