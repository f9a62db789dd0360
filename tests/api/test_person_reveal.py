import pytest
from rest_framework.throttling import ScopedRateThrottle

from fangkong.core.models import AccessLog
from fangkong.people.services import person_reveal_value
from tests.api.conftest import assert_error, snapshot


def reveal(person):
    return f"/api/v1/persons/{person.pk}/reveal/"


@pytest.mark.parametrize("field", ["id_number", "phone"])
def test_it_reveals_and_logs(api_for, users, people, field):
    response = api_for(users.town).post(
        reveal(people.zhang), {"field": field}, HTTP_USER_AGENT="checkpoint-app/1.0"
    )
    assert response.status_code == 200
    assert response.json() == {"field": field, "value": person_reveal_value(people.zhang, field)}
    entry = AccessLog.objects.get()
    assert entry.action == AccessLog.Action.REVEAL
    assert entry.actor == users.town
    assert entry.fields == field
    assert entry.target_type == "person"
    assert entry.target_id == str(people.zhang.pk)
    assert entry.area_id == people.zhang.area_id
    assert entry.ip_address == "127.0.0.1"
    assert entry.user_agent == "checkpoint-app/1.0"


def test_it_lets_a_district_role_with_the_permission_reveal(api_for, users, people):
    response = api_for(users.command).post(reveal(people.other), {"field": "phone"})
    assert response.status_code == 200
    assert AccessLog.objects.filter(actor=users.command).count() == 1


def test_it_answers_404_without_permission_or_scope_and_logs_nothing(api_for, users, people):
    before = snapshot()
    # grid edits people but may not reveal; the others lack scope or role.
    for who in ("grid", "norole", "other_town", "outsider"):
        response = api_for(getattr(users, who)).post(reveal(people.zhang), {"field": "id_number"})
        assert_error(response, 404, "not_found")
    assert not AccessLog.objects.exists()
    assert snapshot() == before


def test_it_requires_a_known_field(api_for, users, people):
    for payload in ({"field": "name"}, {}):
        body = assert_error(api_for(users.town).post(reveal(people.zhang), payload), 400, "invalid")
        assert list(body["extra"]["fields"]) == ["field"]
    assert not AccessLog.objects.exists()


def test_it_refuses_anonymous_callers(api, people):
    assert_error(api.post(reveal(people.zhang), {"field": "phone"}), 401, "not_authenticated")


def test_it_throttles_bulk_reveals(api_for, users, people, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "reveal", "2/hour")
    client = api_for(users.town)
    for _ in range(2):
        assert client.post(reveal(people.zhang), {"field": "phone"}).status_code == 200
    response = client.post(reveal(people.zhang), {"field": "phone"})
    body = assert_error(response, 429, "throttled")
    assert body["extra"]["retry_after"] > 0
    assert int(response["Retry-After"]) > 0
    assert AccessLog.objects.count() == 2
    # Reading is not throttled.
    assert client.get(f"/api/v1/persons/{people.zhang.pk}/").status_code == 200
