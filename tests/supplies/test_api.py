"""The supplies API: warehouses and stock, movements, issues and requests."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from fangkong.supplies.models import Outbound, SupplyRequest
from tests.supplies import helpers

pytestmark = pytest.mark.django_db
BASE = "/api/v1/supplies/"


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sup"}
    }
    cache.clear()


@pytest.fixture
def api_for():
    def login(user):
        client = APIClient()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def stocked(town_store, items, tree):
    helpers.stock_in(town_store, items["一次性口罩"], 100)
    helpers.issue(town_store, tree.village, items["一次性口罩"], 14)
    return town_store


def test_it_lists_warehouses_and_stock_in_scope(api_for, users, stocked, items):
    data = api_for(users.town).get(f"{BASE}warehouses/").json()
    assert [w["id"] for w in data["results"]] == [stocked.pk]
    rows = api_for(users.town).get(f"{BASE}warehouses/{stocked.pk}/stock/").json()
    assert rows[0]["on_hand"] == "86.00" and rows[0]["daily"] == "2.00"
    assert rows[0]["days_of_cover"] == "43.0"
    for user in (users.other_town, users.outsider, users.norole, users.village):
        response = api_for(user).get(f"{BASE}warehouses/{stocked.pk}/stock/")
        assert response.status_code == 404
        assert set(response.json()) == {"message", "extra"}


def test_it_lists_movements_filtered(api_for, users, stocked, items):
    data = api_for(users.command).get(f"{BASE}movements/?warehouse={stocked.pk}").json()
    assert [m["balance_after"] for m in data["results"]] == ["86.00", "100.00"]
    assert api_for(users.other_town).get(f"{BASE}movements/").json()["count"] == 0


def test_it_issues_through_the_api_and_refuses_bad_lines(api_for, users, stocked, items, tree):
    client = api_for(users.town)
    body = {
        "warehouse": stocked.pk,
        "recipient_area": tree.village2.code,
        "unit_type": "checkpoint",
        "unit_name": "乙烯卡口",
        "lines": [{"item": items["一次性口罩"].pk, "quantity": "87"}],
    }
    response = client.post(f"{BASE}outbounds/", body, format="json")
    assert response.status_code == 400
    assert "一次性口罩" in response.json()["extra"]["fields"]["lines"][0]
    body["lines"][0]["quantity"] = "2.5"
    assert client.post(f"{BASE}outbounds/", body, format="json").status_code == 400
    body["lines"][0]["quantity"] = "6"
    response = client.post(f"{BASE}outbounds/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["lines"][0]["quantity"] == "6.00"
    assert api_for(users.command).post(f"{BASE}outbounds/", body, format="json").status_code == 404
    response = api_for(users.other_town).post(f"{BASE}outbounds/", body, format="json")
    assert response.status_code == 404
    assert Outbound.objects.count() == 2


def test_it_runs_a_request_through_the_api(api_for, users, stocked, items):
    village = api_for(users.village)
    response = village.post(
        f"{BASE}requests/",
        {
            "unit_type": "village",
            "purpose": "值守",
            "lines": [{"item": items["一次性口罩"].pk, "quantity": "30"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    line = created["lines"][0]["id"]
    decide = f"{BASE}requests/{created['id']}/decide/"
    assert village.post(decide, {"lines": []}, format="json").status_code == 404
    assert api_for(users.other_town).post(decide, {}, format="json").status_code == 404
    town = api_for(users.town)
    response = town.post(
        decide, {"lines": [{"line": line, "approved": "20", "reason": ""}]}, format="json"
    )
    assert response.status_code == 400
    response = town.post(
        decide,
        {"lines": [{"line": line, "approved": "20", "reason": "分批"}], "warehouse": stocked.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "issued"
    assert SupplyRequest.objects.get().outbounds.count() == 1
    assert helpers.on_hand(stocked, items["一次性口罩"]) == 66


def test_it_lists_the_catalogue(api_for, users, items):
    data = api_for(users.village).get(f"{BASE}items/").json()
    assert "N95口罩" in {row["name"] for row in data["results"]}
    assert api_for(users.norole).get(f"{BASE}items/").status_code == 404
