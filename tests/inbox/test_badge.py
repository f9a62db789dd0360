import re

from django.urls import reverse

from fangkong.inbox.services import notifications_resolve
from tests.inbox.helpers import notify
from tests.ui.queries import queries_for


def _badge(body: str) -> str | None:
    match = re.search(r'data-unread="(\d+)"', body)
    return match.group(1) if match else None


def test_every_page_counts_unread_open_notifications(client_for, users, tree):
    notify(users.village, tree.village, "甲")
    notify(users.village, tree.village, "乙", target_type="push", target_id=1)
    read = notify(users.village, tree.village, "丙")
    read.read_at = read.created_at
    read.save()
    notify(users.town, tree.town, "别人的")
    client = client_for(users.village)
    for url in (reverse("home"), reverse("people:person_list"), reverse("inbox:list")):
        assert _badge(client.get(url).content.decode()) == "2", url
    notifications_resolve(target_type="push", target_id=1)
    assert _badge(client.get(reverse("home")).content.decode()) == "1"


def test_it_shows_no_number_without_unread(client_for, users):
    body = client_for(users.village).get(reverse("home")).content.decode()
    assert 'data-testid="inbox-badge"' in body and _badge(body) is None


def test_the_badge_refreshes_with_htmx(client_for, users, tree):
    client = client_for(users.village)
    body = client.get(reverse("inbox:badge")).content.decode()
    assert 'hx-trigger="every 60s"' in body and _badge(body) is None
    notify(users.village, tree.village)
    assert _badge(client.get(reverse("inbox:badge")).content.decode()) == "1"


def test_an_ended_session_gets_no_swap(client):
    assert client.get(reverse("inbox:badge")).status_code == 204


def test_the_badge_costs_one_query_on_the_home_page(client_for, users, tree, monkeypatch):
    client = client_for(users.village)
    with_badge = queries_for(client, reverse("home"))
    for n in range(30):
        notify(users.village, tree.village, f"通知{n}")
    # Pinned: the same count however many notifications (nothing per row, nothing cached).
    assert queries_for(client, reverse("home")) == with_badge
    from fangkong.inbox import selectors

    monkeypatch.setattr(selectors, "unread_count", lambda *, user: 0)
    # And exactly one of them is the badge's. (The home page's own total grows as modules
    # register their counters; tests/ui/test_home.py pins it.)
    assert queries_for(client, reverse("home")) == with_badge - 1
