import pytest
from rest_framework.test import APIClient

from fangkong.inbox.models import Notification
from tests.api.conftest import assert_error
from tests.inbox.helpers import notify

URL = "/api/v1/notifications/"


@pytest.fixture
def api_for():
    def login(user):
        client = APIClient()
        client.force_login(user)
        return client

    return login


def test_it_lists_only_the_callers_own(api_for, users, tree):
    mine = notify(users.village, tree.village, "甲", target_type="push", target_id=5)
    notify(users.town, tree.town, "别人的")
    body = api_for(users.village).get(URL).json()
    assert [n["id"] for n in body["results"]] == [mine.pk]
    assert body["results"][0]["action_url"]  # resolved, with a fallback
    assert api_for(users.norole).get(URL).json()["results"] == []


def test_it_filters_unread_and_marks_read(api_for, users, tree):
    first = notify(users.village, tree.village, "甲")
    second = notify(users.village, tree.village, "乙")
    client = api_for(users.village)
    response = client.post(f"{URL}{first.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    assert [n["id"] for n in client.get(URL + "?unread=true").json()["results"]] == [second.pk]
    assert client.post(f"{URL}read-all/").json() == {"marked": 1}
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_others_get_404(api_for, users, tree):
    notification = notify(users.village, tree.village)
    for user in (users.town, users.command, users.grid):
        assert_error(api_for(user).post(f"{URL}{notification.pk}/read/"), 404, "not_found")
    notification.refresh_from_db()
    assert notification.read_at is None


def test_it_needs_a_login(client):
    assert client.get(URL).status_code == 401
