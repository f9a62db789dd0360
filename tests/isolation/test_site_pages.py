"""Site detail, create, edit and rooms."""

from django.urls import reverse

from fangkong.isolation.models import Room, Site
from tests.isolation import helpers
from tests.ui.queries import queries_for


def test_it_shows_occupancy_rooms_residents_and_transfers(client_for, iso, site, tree):
    key_person = helpers.key_person(tree.grid)
    helpers.transfer(site, key_person)
    helpers.check_in(site, key_person)
    body = client_for(iso).get(reverse("isolation:site_detail", args=[site.pk])).content.decode()
    assert 'data-figure="occupied">1<' in body
    assert 'data-figure="capacity">3<' in body
    assert 'data-figure="free">2<' in body
    assert key_person.person.name in body
    assert 'data-flag="undisinfected"' in body


def test_it_answers_404_outside_the_scope_or_without_the_role(client_for, users, iso, site):
    url = reverse("isolation:site_detail", args=[site.pk])
    found = helpers.statuses(client_for, helpers.matrix(users, iso, town=users.town), url)
    assert found == {
        "outsider": 404,
        "other_town": 404,
        "norole": 404,
        "village": 404,
        "iso": 200,
        "town": 200,
    }


def test_a_reader_sees_no_action(client_for, users, site):
    body = client_for(users.town).get(reverse("isolation:site_detail", args=[site.pk]))
    body = body.content.decode()
    assert reverse("isolation:site_checkin", args=[site.pk]) not in body
    assert reverse("isolation:site_edit", args=[site.pk]) not in body


def test_its_queries_do_not_grow_with_residents(client_for, iso, site, tree):
    url = reverse("isolation:site_detail", args=[site.pk])
    helpers.check_in(site, helpers.key_person(tree.grid))
    few = queries_for(client_for(iso), url)
    helpers.check_in(site, helpers.key_person(tree.grid, "赵六"))
    helpers.check_in(site, helpers.key_person(tree.grid, "孙七"), site.rooms.get(number="102"))
    assert queries_for(client_for(iso), url) == few


def test_it_registers_a_site(client_for, users, iso, tree):
    url = reverse("isolation:site_create")
    data = {"name": "新隔离点", "address": "金岭路9号", "area": tree.village.code, "active": "on"}
    for user in (users.town, users.command, users.norole):
        assert client_for(user).post(url, data).status_code == 404
    assert not Site.objects.exists()
    response = client_for(iso).post(url, data)
    site = Site.objects.get()
    assert response["Location"] == reverse("isolation:site_detail", args=[site.pk])
    assert site.area_id == tree.village.code


def test_it_refuses_an_area_outside_the_scope(client_for, users, tree):
    town_iso = helpers.isolation_user(tree.town, "town_iso")
    data = {"name": "x", "address": "y", "area": tree.other_village.code}
    response = client_for(town_iso).post(reverse("isolation:site_create"), data)
    assert response.status_code == 400
    assert not Site.objects.exists()


def test_it_edits_a_site(client_for, users, iso, site, tree):
    url = reverse("isolation:site_edit", args=[site.pk])
    data = {"name": "改名", "address": site.address, "area": site.area_id}
    assert client_for(users.other_town).post(url, data).status_code == 404
    assert client_for(iso).post(url, data).status_code == 302
    site.refresh_from_db()
    assert site.name == "改名" and not site.active


def test_it_adds_and_edits_rooms(client_for, users, iso, site):
    url = reverse("isolation:site_rooms", args=[site.pk])
    assert client_for(users.town).post(url, {"number": "201", "beds": 2}).status_code == 404
    response = client_for(iso).post(url, {"number": "201", "beds": 2, "in_service": "on"})
    assert response.status_code == 302
    room = Room.objects.get(site=site, number="201")
    assert (room.beds, room.in_service) == (2, True)
    assert client_for(iso).post(url, {"number": "201", "beds": 1}).status_code == 400
    edit = reverse("isolation:room_edit", args=[room.pk])
    assert client_for(iso).post(edit, {"beds": 3}).status_code == 302
    room.refresh_from_db()
    assert (room.beds, room.in_service) == (3, False)
    assert client_for(users.other_town).get(edit).status_code == 404
