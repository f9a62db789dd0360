import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from tests.api.conftest import assert_error
from tests.factories import PASSWORD

URL = "/api/v1/auth/token/"


def obtain(client, username, password=PASSWORD):
    return client.post(URL, {"username": username, "password": password})


def with_token(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_it_gives_a_token_that_authenticates(api, users, people):
    response = obtain(api, "town")
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=users.town).key == key
    client = with_token(key)
    assert client.get("/api/v1/me/").json()["username"] == "town"
    assert client.get("/api/v1/persons/").json()["count"] == 4
    # Asking again gives the same token.
    assert obtain(api, "town").json()["token"] == key


def test_it_scopes_token_requests_like_session_ones(api, users, people):
    client = with_token(obtain(api, "other_town").json()["token"])
    assert_error(client.get(f"/api/v1/persons/{people.zhang.pk}/"), 404, "not_found")


def test_it_needs_no_csrf_token_with_a_token(api, users, tree):
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {obtain(api, 'town').json()['token']}")
    response = client.post(
        "/api/v1/households/", {"area": tree.village.code, "address": "x", "head_name": "甲"}
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("username", "password"), [("town", "wrong-password"), ("nobody", PASSWORD), ("town", "")]
)
def test_it_refuses_wrong_credentials(api, users, username, password):
    body = assert_error(obtain(api, username, password), 400, "invalid")
    assert set(body["extra"]["fields"]) <= {"non_field_errors", "password"}
    assert not Token.objects.exists()


def test_it_refuses_an_inactive_user(api, users):
    users.town.is_active = False
    users.town.save()
    assert_error(obtain(api, "town"), 400, "invalid")


def test_it_locks_out_after_repeated_failures(api, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert_error(obtain(api, "town", "wrong"), 400, "invalid")
    response = obtain(api, "town", "wrong")
    body = assert_error(response, 429, "locked_out")
    assert body["extra"]["retry_after"] == int(settings.AXES_COOLOFF_TIME * 3600)
    assert response["Retry-After"] == str(body["extra"]["retry_after"])
    # Locked out, even the right password is refused, still in the error shape.
    assert_error(obtain(api, "town"), 429, "locked_out")
    assert not Token.objects.exists()
    # Another username from the same address is not locked.
    assert obtain(api, "village").status_code == 200


def test_it_counts_as_a_sign_in(api, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        obtain(api, "town", "wrong")
    assert obtain(api, "town").status_code == 200
    users.town.refresh_from_db()
    assert users.town.last_login is not None
    # The success cleared the failures: the next wrong password is not a lockout.
    assert_error(obtain(api, "town", "wrong"), 400, "invalid")


def test_it_revokes_the_token(api, users):
    key = obtain(api, "town").json()["token"]
    client = with_token(key)
    assert client.delete(URL).status_code == 204
    assert not Token.objects.exists()
    body = assert_error(client.get("/api/v1/me/"), 401, "authentication_failed")
    assert body["message"]


def test_it_revokes_from_a_session_too(api_for, users):
    Token.objects.create(user=users.town)
    assert api_for(users.town).delete(URL).status_code == 204
    assert not Token.objects.exists()


def test_it_requires_authentication_to_revoke(api, users):
    Token.objects.create(user=users.town)
    assert_error(api.delete(URL), 401, "not_authenticated")
    assert_error(with_token("0" * 40).delete(URL), 401, "authentication_failed")
    assert Token.objects.count() == 1


def test_it_refuses_a_token_of_a_deactivated_user(api, users):
    key = obtain(api, "town").json()["token"]
    users.town.is_active = False
    users.town.save()
    assert_error(with_token(key).get("/api/v1/me/"), 401, "authentication_failed")


def test_it_throttles_token_requests(api, users, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "auth", "3/minute")
    for _ in range(3):
        obtain(api, "nobody", "x")
    body = assert_error(obtain(api, "town"), 429, "throttled")
    assert body["extra"]["retry_after"] > 0
