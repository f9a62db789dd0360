from fangkong.core.rest import Pagination
from tests import factories

PERSONS = "/api/v1/persons/"


def test_it_caps_the_count_and_still_pages_forward(api_for, users, tree, monkeypatch):
    monkeypatch.setattr(Pagination, "count_cap", 3)
    for i in range(5):
        factories.person(tree.grid, f"人{i}")
    client = api_for(users.town)
    first = client.get(PERSONS, {"page_size": 2}).json()
    assert (first["count"], first["count_capped"]) == (3, True)
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/persons/?page=2&page_size=2"
    last = client.get(PERSONS, {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1
    assert last["next"] is None
    assert (last["count"], last["count_capped"]) == (3, True)
    assert last["previous"] == "http://testserver/api/v1/persons/?page=2&page_size=2"


def test_it_counts_exactly_below_the_cap(api_for, users, tree):
    for i in range(5):
        factories.person(tree.grid, f"人{i}")
    client = api_for(users.town)
    for size in (2, 5, 50):
        body = client.get(PERSONS, {"page_size": size}).json()
        assert (body["count"], body["count_capped"]) == (5, False)
    body = client.get(PERSONS, {"page_size": 2, "page": 2, "q": "ren"}).json()
    assert body["count"] == 5
    assert body["previous"] == "http://testserver/api/v1/persons/?page_size=2&q=ren"
    assert body["next"] == "http://testserver/api/v1/persons/?page=3&page_size=2&q=ren"


def test_it_limits_the_page_size(api_for, users, tree, monkeypatch):
    monkeypatch.setattr(Pagination, "max_page_size", 2)
    for i in range(3):
        factories.person(tree.grid, f"人{i}")
    body = api_for(users.town).get(PERSONS, {"page_size": 1000}).json()
    assert len(body["results"]) == 2 and body["next"]


def test_it_answers_an_empty_first_page(api_for, users, tree):
    body = api_for(users.town).get(PERSONS).json()
    assert body == {
        "count": 0,
        "count_capped": False,
        "next": None,
        "previous": None,
        "results": [],
    }
