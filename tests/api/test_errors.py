"""Every kind of API error answers {"message": str, "extra": {"code": str, ...}}."""

import logging

from rest_framework.test import APIClient

from tests.api.conftest import assert_error

PERSONS = "/api/v1/persons/"


def test_it_answers_unknown_api_urls_in_the_shape(api, api_for, users):
    for client in (api, api_for(users.town)):
        for url in ("/api/nothing/", "/api/v1/nothing/", "/api/x", "/api/v1/persons/1/x/"):
            assert_error(client.get(url), 404, "not_found")
        assert_error(client.post("/api/v2/persons/", {}), 404, "not_found")
    # A routed URL checks authentication before it looks anything up.
    assert_error(api.get("/api/v1/persons/abc/"), 401, "not_authenticated")
    assert_error(api_for(users.town).get("/api/v1/persons/abc/"), 404, "not_found")


def test_it_redirects_a_get_without_the_trailing_slash(api_for, users):
    response = api_for(users.town).get("/api/v1/persons?page=2&q=zs")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/persons/?page=2&q=zs"


def test_it_hints_at_the_slash_for_other_methods(api_for, users, tree):
    body = assert_error(
        api_for(users.town).post("/api/v1/households", {"area": tree.village.code}),
        404,
        "not_found",
    )
    assert body["extra"]["hint"] == "/api/v1/households/"


def test_it_answers_401_to_a_bad_token(people):
    for header in ("Token " + "0" * 40, "Token", "Token a b"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        assert_error(client.get(PERSONS), 401, "authentication_failed")


def test_it_answers_405_with_the_allowed_methods(api_for, users):
    body = assert_error(api_for(users.town).delete(PERSONS), 405, "method_not_allowed")
    assert body["extra"]["allowed"] == ["GET", "HEAD", "POST"]
    assert_error(api_for(users.town).options(PERSONS), 405, "method_not_allowed")


def test_it_answers_415_to_an_unknown_media_type(api_for, users, tree):
    response = api_for(users.town).post(PERSONS, "name=x", content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")


def test_it_answers_400_to_malformed_json(api_for, users):
    response = api_for(users.town).post(PERSONS, '{"name": ', content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_it_answers_406_to_an_unsupported_accept(api_for, users):
    response = api_for(users.town).get(PERSONS, HTTP_ACCEPT="application/xml")
    assert_error(response, 406, "not_acceptable")


def test_it_answers_403_to_a_session_write_without_csrf(users, tree):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users.town)
    response = client.post(
        "/api/v1/households/", {"area": tree.village.code, "address": "x", "head_name": "甲"}
    )
    body = assert_error(response, 403, "csrf_failed")
    assert "CSRF" in body["extra"]["reason"]


def test_it_answers_invalid_pages_in_the_shape(api_for, users, people):
    client = api_for(users.town)
    for page in ("2", "0", "-1", "abc", "last"):
        assert_error(client.get(PERSONS, {"page": page}), 404, "not_found")
    for size in ("0", "x", "-5"):
        body = assert_error(client.get(PERSONS, {"page_size": size}), 400, "invalid")
        assert list(body["extra"]["fields"]) == ["page_size"]


def test_it_answers_500_in_the_shape_and_logs(api_for, users, monkeypatch, caplog, settings):
    settings.DEBUG = False

    def broken(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("fangkong.people.api.person_list", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        body = assert_error(api_for(users.town).get(PERSONS), 500, "server_error")
    assert "database on fire" not in body["message"]
    assert any(r.exc_info and "database on fire" in str(r.exc_info[1]) for r in caplog.records)


def test_it_does_not_hide_that_an_object_is_missing_or_denied(api_for, users, people):
    # A missing id and a denied id read exactly alike.
    client = api_for(users.town)
    missing = client.get(f"{PERSONS}999999/")
    denied = client.get(f"{PERSONS}{people.other.pk}/")
    assert missing.json() == denied.json()
    assert missing.status_code == denied.status_code == 404
