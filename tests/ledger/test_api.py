"""/api/v1/keypersons/ and /api/v1/pushes/: scoped reads, receive and answer."""

import pytest
from rest_framework.test import APIClient

from fangkong.ledger.models import KeyPerson, Push
from tests.ledger import helpers


@pytest.fixture
def api_for():
    def login(user):
        client = APIClient()
        client.force_login(user)
        return client

    return login


def test_key_persons_are_listed_and_shown_within_the_scope(api_for, users, tree):
    mine = helpers.key_person(tree.grid, "甲")
    other = helpers.key_person(tree.other_village, "乙")
    api = api_for(users.town)
    data = api.get("/api/v1/keypersons/").json()
    assert [row["id"] for row in data["results"]] == [mine.pk]
    assert data["results"][0]["person"]["id_number_masked"].count("*") > 5
    detail = api.get(f"/api/v1/keypersons/{mine.pk}/").json()
    assert [e["to_state"] for e in detail["events"]] == ["managed"]
    response = api.get(f"/api/v1/keypersons/{other.pk}/")
    assert response.status_code == 404 and response.json()["extra"]["code"] == "not_found"
    assert api.get("/api/v1/keypersons/", {"state": "lost"}).json()["results"] == []
    assert api.get("/api/v1/keypersons/", {"state": "nope"}).status_code == 400


def test_pushes_are_listed_pending_oldest_first(api_for, users, tree):
    new = helpers.push(tree.grid, "新")
    old = helpers.age(helpers.push(tree.grid, "旧"), 3)
    helpers.push(tree.other_village)
    data = api_for(users.village).get("/api/v1/pushes/").json()
    assert [row["id"] for row in data["results"]] == [old.pk, new.pk]


def test_receive_and_answer(api_for, users, tree):
    push = helpers.push(tree.grid)
    api = api_for(users.village)
    response = api.post(
        f"/api/v1/pushes/{push.pk}/receive/",
        {"category": "overseas", "area": tree.grid.code},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["category"]["code"] == "overseas"
    assert response.json()["measure"] == "central_isolation"
    again = api.post(f"/api/v1/pushes/{push.pk}/receive/", {}, format="json")
    assert again.status_code == 400 and again.json()["extra"]["code"] == "invalid"
    assert KeyPerson.objects.count() == 1

    other = helpers.push(tree.grid, "乙")
    bad = api.post(f"/api/v1/pushes/{other.pk}/answer/", {"answer": "not_found"}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()["extra"]["fields"]
    ok = api.post(
        f"/api/v1/pushes/{other.pk}/answer/",
        {"answer": "not_found", "reason": "查无此人"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["state"] == "answered"


def test_permission_matrix(api_for, users, tree):
    push = helpers.push(tree.grid)
    anonymous = APIClient()
    assert anonymous.get("/api/v1/pushes/").status_code == 401
    for who in ("outsider", "other_town"):
        api = api_for(getattr(users, who))
        assert api.get(f"/api/v1/pushes/{push.pk}/").status_code == 404
        assert api.post(f"/api/v1/pushes/{push.pk}/receive/", {}, format="json").status_code == 404
    assert api_for(users.norole).get("/api/v1/pushes/").status_code == 404
    assert api_for(users.norole).get("/api/v1/keypersons/").status_code == 404
    # Readers who may not receive: the grid worker and the command.
    for who in ("grid", "command"):
        api = api_for(getattr(users, who))
        assert api.get(f"/api/v1/pushes/{push.pk}/").status_code == 200
        assert api.post(f"/api/v1/pushes/{push.pk}/receive/", {}, format="json").status_code == 404
        assert (
            api.post(
                f"/api/v1/pushes/{push.pk}/answer/",
                {"answer": "not_found", "reason": "x"},
                format="json",
            ).status_code
            == 404
        )
    assert Push.objects.get(pk=push.pk).state == Push.State.PENDING
