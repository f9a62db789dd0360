import datetime

from django.urls import reverse
from django.utils import timezone

from fangkong.isolation.models import DailyService
from tests.isolation import helpers
from tests.ui.queries import queries_for

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_it_lists_one_row_per_resident_today(client_for, iso, site, tree):
    first = helpers.check_in(site, helpers.key_person(tree.grid))
    second = helpers.check_in(site, helpers.key_person(tree.grid2, "赵六"))
    body = client_for(iso).get(reverse("isolation:site_services", args=[site.pk])).content
    body = body.decode()
    assert f'id="stay-{first.pk}"' in body and f'id="stay-{second.pk}"' in body
    assert body.count('data-item="meals"') == 2


def test_a_tap_ticks_one_item_and_answers_the_row(client_for, iso, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid))
    url = reverse("isolation:stay_service", args=[stay.pk])
    today = timezone.localdate().isoformat()
    response = client_for(iso).post(url, {"item": "meals", "value": "on", "date": today}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith("<div") and f'id="stay-{stay.pk}"' in body
    assert 'data-item="meals" aria-pressed="true"' in body
    service = DailyService.objects.get()
    assert service.meals and not service.heating and service.recorded_by == iso
    # Tapping again unticks (the button posts no value).
    client_for(iso).post(url, {"item": "meals", "date": today}, **HTMX)
    service.refresh_from_db()
    assert not service.meals


def test_all_six_mark_the_row_complete(client_for, iso, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid))
    url = reverse("isolation:stay_service", args=[stay.pk])
    today = timezone.localdate().isoformat()
    for item in DailyService.ITEMS:
        response = client_for(iso).post(url, {"item": item, "value": "on", "date": today}, **HTMX)
    assert "data-complete" in response.content.decode()


def test_it_refuses_a_future_date(client_for, iso, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid))
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_for(iso).post(
        reverse("isolation:stay_service", args=[stay.pk]),
        {"item": "meals", "value": "on", "date": tomorrow},
        **HTMX,
    )
    assert "data-service-error" in response.content.decode()
    assert not DailyService.objects.exists()


def test_it_refuses_a_day_the_person_was_not_checked_in(client_for, iso, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid))
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client_for(iso).post(
        reverse("isolation:stay_service", args=[stay.pk]),
        {"item": "meals", "value": "on", "date": yesterday},
    )
    assert response.status_code == 302
    assert not DailyService.objects.exists()


def test_it_refuses_an_unknown_item(client_for, iso, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid))
    response = client_for(iso).post(
        reverse("isolation:stay_service", args=[stay.pk]),
        {"item": "id_number", "value": "on", "date": timezone.localdate().isoformat()},
        **HTMX,
    )
    assert response.status_code == 400
    assert not DailyService.objects.exists()


def test_ticking_needs_the_role_and_the_scope(client_for, users, iso, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid))
    url = reverse("isolation:stay_service", args=[stay.pk])
    data = {"item": "meals", "value": "on", "date": timezone.localdate().isoformat()}
    people = helpers.matrix(users, iso, town=users.town, command=users.command)
    del people["iso"]
    assert set(helpers.statuses(client_for, people, url, "post", data).values()) == {404}
    sheet = reverse("isolation:site_services", args=[site.pk])
    assert set(helpers.statuses(client_for, people, sheet).values()) == {404}
    assert not DailyService.objects.exists()


def test_the_sheet_costs_the_same_for_1_or_5_residents(client_for, iso, tree):
    site = helpers.site(tree.town, rooms=(("1", 5),))
    helpers.check_in(site, helpers.key_person(tree.grid, "甲"))
    url = reverse("isolation:site_services", args=[site.pk])
    few = queries_for(client_for(iso), url)
    for n in range(4):
        stay = helpers.check_in(site, helpers.key_person(tree.grid, f"乙{n}"))
        DailyService.objects.create(
            stay=stay, area_id=stay.area_id, date=timezone.localdate(), meals=True
        )
    assert queries_for(client_for(iso), url) == few


def test_the_sheet_never_shows_a_future_day(client_for, iso, site):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    url = reverse("isolation:site_services", args=[site.pk]) + f"?date={tomorrow}"
    response = client_for(iso).get(url)
    assert response.context["date"] == timezone.localdate()
