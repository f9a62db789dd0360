"""The donations API: scoped list and detail, registration with its refusals."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from fangkong.donations.models import Donation
from tests.donations import helpers

URL = "/api/v1/donations/"


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "don"}
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
def given(tree, staff, items):
    donor = helpers.person(staff.town, "孙八", phone="13905338888")
    donation = helpers.donation(
        staff.town, tree.town, donor, amount=300, lines=[(items.masks, 10, 15)]
    )
    return donor, donation


def test_it_lists_and_shows_donations_in_the_scope(api_for, users, staff, given):
    donor, donation = given
    for user in (staff.town, users.command):
        data = api_for(user).get(URL).json()
        assert [row["number"] for row in data["results"]] == [donation.number]
        detail = api_for(user).get(f"{URL}{donation.pk}/").json()
        assert detail["amount"] == "300.00" and detail["lines"][0]["quantity"] == "10.00"
        assert detail["donor"]["phone"] == "139****8888"
        assert "13905338888" not in str(detail)
    for user in (users.outsider, staff.other_town):
        assert api_for(user).get(URL).json()["count"] == 0
        response = api_for(user).get(f"{URL}{donation.pk}/")
        assert response.status_code == 404 and response.json()["extra"]["code"] == "not_found"
    assert api_for(users.norole).get(URL).status_code == 404


def test_it_registers_a_donation(api_for, tree, staff, items):
    donor = helpers.enterprise(staff.town, credit_code="")
    body = {
        "area": tree.town.code,
        "donor": donor.pk,
        "received_on": helpers.today().isoformat(),
        "amount": "5000",
        "channel": "bank",
        "lines": [{"item": items.rice.pk, "quantity": "20", "value": "2000"}],
    }
    response = api_for(staff.town).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["number"].startswith("辛捐") and data["goods_value"] == "2000.00"
    assert Donation.objects.get().lines.get().item == items.rice


def test_it_refuses_bad_registrations_in_the_one_error_shape(api_for, users, tree, staff, items):
    donor = helpers.enterprise(staff.town, credit_code="")
    base = {"area": tree.town.code, "donor": donor.pk, "received_on": helpers.today().isoformat()}
    cases = [
        ({}, "__all__"),  # neither money nor goods
        ({"amount": "-1", "channel": "bank"}, "amount"),
        ({"lines": [{"item": items.masks.pk, "quantity": "1.5"}]}, "lines"),
        ({"lines": [{"item": 999999, "quantity": "1"}]}, "lines"),
        ({"area": tree.other_town.code, "amount": "1", "channel": "bank"}, "area"),
    ]
    for extra, field in cases:
        response = api_for(staff.town).post(URL, {**base, **extra}, format="json")
        assert response.status_code == 400, (extra, response.json())
        body = response.json()
        assert body["extra"]["code"] == "invalid"
        assert field in body["extra"]["fields"] or "non_field_errors" in body["extra"]["fields"]
    assert (
        api_for(users.command).post(URL, {**base, "amount": "1"}, format="json").status_code == 404
    )
    assert not Donation.objects.exists()


def test_it_lists_in_a_fixed_number_of_queries(
    api_for, tree, staff, items, django_assert_max_num_queries
):
    donor = helpers.person(staff.town, "周九")
    for n in range(15):
        helpers.donation(staff.town, tree.town, donor, amount=n + 1, lines=[(items.rice, 1, 1)])
    client = api_for(staff.town)
    client.get(URL)
    with django_assert_max_num_queries(7):
        data = client.get(URL).json()
    assert data["count"] == 15
