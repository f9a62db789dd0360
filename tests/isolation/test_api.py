import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from fangkong.isolation.models import DailyService
from tests.api.conftest import assert_error
from tests.isolation import helpers

SITES = "/api/v1/isolation/sites/"
SERVICES = "/api/v1/isolation/daily-services/"


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "iso"}
    }
    cache.clear()


@pytest.fixture
def api_for():
    def login(user):
        client = APIClient()
        client.force_login(user)
        return client

    return login


def test_it_lists_sites_with_occupancy(api_for, users, iso, site, tree):
    helpers.check_in(site, helpers.key_person(tree.grid))
    helpers.site(tree.other_town, "闻韶隔离点")
    body = api_for(users.town).get(SITES).json()
    assert [s["name"] for s in body["results"]] == [site.name]
    found = body["results"][0]
    assert (found["capacity"], found["occupied"], found["free_beds"]) == (3, 1, 2)
    detail = api_for(users.town).get(f"{SITES}{site.pk}/").json()
    assert {r["number"]: r["occupied"] for r in detail["rooms"]} == {"101": 1, "102": 0}


def test_sites_are_hidden_outside_the_scope_and_without_the_role(api_for, users, site):
    assert_error(api_for(users.other_town).get(f"{SITES}{site.pk}/"), 404, "not_found")
    assert_error(api_for(users.village).get(SITES), 404, "not_found")
    assert api_for(users.outsider).get(SITES).json()["results"] == []


def test_it_records_daily_services(api_for, iso, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid))
    today = timezone.localdate().isoformat()
    response = api_for(iso).post(
        SERVICES, {"stay": stay.pk, "date": today, "meals": True, "heating": True}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["meals"] is True and response.json()["psychological"] is False
    again = api_for(iso).post(
        SERVICES, {"stay": stay.pk, "date": today, "psychological": True}, format="json"
    )
    assert again.status_code == 200
    service = DailyService.objects.get()
    assert (service.meals, service.heating, service.psychological) == (True, True, True)


def test_it_refuses_a_future_date_or_a_person_not_checked_in(api_for, iso, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid))
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    body = assert_error(
        api_for(iso).post(SERVICES, {"stay": stay.pk, "date": tomorrow, "meals": True}),
        400,
        "invalid",
    )
    assert "date" in body["extra"]["fields"]
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert_error(
        api_for(iso).post(SERVICES, {"stay": stay.pk, "date": yesterday, "meals": True}),
        400,
        "invalid",
    )
    assert_error(
        api_for(iso).post(SERVICES, {"stay": 999, "date": yesterday, "meals": "x"}),
        400,
        "invalid",
    )
    assert not DailyService.objects.exists()


def test_daily_services_need_the_role_and_the_scope(api_for, users, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid))
    data = {"stay": stay.pk, "date": timezone.localdate().isoformat(), "meals": True}
    for user in (users.town, users.command, users.outsider, users.norole):
        assert_error(api_for(user).post(SERVICES, data), 404, "not_found")
    town_iso = helpers.isolation_user(tree.other_town, "wenshao_iso")
    # A stay outside the scope reads as not existing.
    assert_error(api_for(town_iso).post(SERVICES, data), 400, "invalid")
    assert not DailyService.objects.exists()
