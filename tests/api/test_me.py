from tests.api.conftest import assert_error

URL = "/api/v1/me/"


def test_it_requires_authentication(api, users):
    assert_error(api.get(URL), 401, "not_authenticated")


def test_it_describes_the_user(api_for, users):
    body = api_for(users.town).get(URL).json()
    assert body["username"] == "town"
    assert body["scope"] == {"code": "370305003", "name": "辛店街道", "level": 4}
    assert [r["name"] for r in body["roles"]] == ["town_admin"]
    assert body["roles"][0]["label"]
    assert "people.reveal_pii" in body["permissions"]
    assert body["permissions"] == sorted(body["permissions"])


def test_it_describes_a_user_without_roles(api_for, users):
    body = api_for(users.norole).get(URL).json()
    assert body["roles"] == [] and body["permissions"] == []
    assert body["scope"]["code"] == "370305003"


def test_it_describes_a_user_without_scope(api_for, users):
    users.norole.scope = None
    users.norole.save()
    assert api_for(users.norole).get(URL).json()["scope"] is None


def test_it_is_read_only(api_for, users):
    assert_error(api_for(users.town).post(URL, {}), 405, "method_not_allowed")
