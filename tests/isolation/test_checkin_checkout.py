from django.urls import reverse

from fangkong.isolation.models import Stay
from fangkong.ledger.models import Measure
from tests.isolation import helpers


def test_it_offers_transferred_persons_first_and_finds_others(client_for, iso, site, tree):
    brought = helpers.key_person(tree.grid)
    helpers.transfer(site, brought)
    other = helpers.key_person(tree.grid2, "赵六")
    url = reverse("isolation:site_checkin", args=[site.pk])
    body = client_for(iso).get(url).content.decode()
    assert f'data-candidate="{brought.pk}"' in body
    assert f'data-candidate="{other.pk}"' not in body
    response = client_for(iso).get(
        url + "?q=zl", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="candidates"
    )
    body = response.content.decode()
    assert f'data-candidate="{other.pk}"' in body and "<html" not in body


def test_it_checks_a_person_in(client_for, iso, site, tree):
    key_person = helpers.key_person(tree.grid)
    room = site.rooms.get(number="102")
    response = client_for(iso).post(
        reverse("isolation:site_checkin", args=[site.pk]),
        {"key_person": key_person.pk, "room": room.pk},
    )
    assert response.status_code == 302
    stay = Stay.objects.get()
    assert (stay.room, stay.checked_in_by) == (room, iso)
    key_person.refresh_from_db()
    assert key_person.measure == Measure.CENTRAL_ISOLATION


def test_it_refuses_a_full_room(client_for, iso, site, tree):
    room = site.rooms.get(number="102")
    helpers.check_in(site, helpers.key_person(tree.grid), room)
    second = helpers.key_person(tree.grid2, "赵六")
    response = client_for(iso).post(
        reverse("isolation:site_checkin", args=[site.pk]),
        {"key_person": second.pk, "room": room.pk},
    )
    assert response.status_code == 400
    assert Stay.objects.count() == 1
    # The full room is not offered at all.
    offered = {value for value, _label in response.context["form"].fields["room"].choices}
    assert room.pk not in offered and site.rooms.get(number="101").pk in offered


def test_it_refuses_a_person_outside_the_scope(client_for, users, site, tree):
    town_iso = helpers.isolation_user(tree.town, "town_iso")
    far = helpers.key_person(tree.other_grid, "孙七")
    response = client_for(town_iso).post(
        reverse("isolation:site_checkin", args=[site.pk]),
        {"key_person": far.pk, "room": site.rooms.first().pk},
    )
    assert response.status_code == 400
    assert not Stay.objects.exists()


def test_check_in_needs_the_role_and_the_scope(client_for, users, iso, site, tree):
    key_person = helpers.key_person(tree.grid)
    url = reverse("isolation:site_checkin", args=[site.pk])
    data = {"key_person": key_person.pk, "room": site.rooms.first().pk}
    people = helpers.matrix(users, iso, town=users.town, command=users.command)
    del people["iso"]
    found = helpers.statuses(client_for, people, url, "post", data)
    assert set(found.values()) == {404}
    assert not Stay.objects.exists()
    assert client_for(iso).get(url).status_code == 200


def test_it_checks_out_once(client_for, users, iso, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid))
    url = reverse("isolation:stay_checkout", args=[stay.pk])
    for user in (users.town, users.other_town, users.outsider):
        assert client_for(user).post(url, {"reason": "x"}).status_code == 404
    assert client_for(iso).post(url, {"reason": ""}).status_code == 400
    response = client_for(iso).post(url, {"reason": "期满", "measure": "health_monitoring"})
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.checkout_reason == "期满"
    again = client_for(iso).post(url, {"reason": "再次"})
    assert again.status_code == 400
    stay.refresh_from_db()
    assert stay.checkout_reason == "期满"
