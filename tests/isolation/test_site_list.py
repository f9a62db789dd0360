import re

from django.urls import reverse

from tests.isolation import helpers
from tests.ui.queries import queries_for

URL = reverse("isolation:site_list")


def _figures(body: str) -> dict:
    return dict(re.findall(r'data-total="(\w+)">(\d+)<', body))


def test_it_lists_sites_in_scope_with_their_occupancy(client_for, users, iso, site, tree):
    helpers.check_in(site, helpers.key_person(tree.grid))
    other = helpers.site(tree.other_town, "闻韶隔离点", rooms=(("1", 4),))
    body = client_for(users.town).get(URL).content.decode()
    assert site.name in body and other.name not in body
    row = body[body.index(f'data-id="{site.pk}"') :]
    assert re.search(r'data-col="occupancy">1/3<', row)
    assert _figures(body) == {"occupied": "1", "capacity": "3", "free": "2"}
    body = client_for(users.command).get(URL).content.decode()
    assert _figures(body) == {"occupied": "1", "capacity": "7", "free": "6"}


def test_it_counts_only_rooms_in_service(client_for, users, site):
    from fangkong.isolation.services import room_update

    room_update(actor=None, room=site.rooms.get(number="101"), beds=2, in_service=False)
    body = client_for(users.town).get(URL).content.decode()
    assert _figures(body)["capacity"] == "1"


def test_it_is_hidden_without_the_permission(client_for, users, iso, site):
    found = helpers.statuses(client_for, helpers.matrix(users, iso, command=users.command), URL)
    assert found == {
        "outsider": 200,
        "other_town": 200,
        "norole": 404,
        "village": 404,
        "iso": 200,
        "command": 200,
    }
    assert site.name not in client_for(users.outsider).get(URL).content.decode()


def test_it_costs_the_same_for_1_or_10_sites(client_for, iso, tree, django_assert_max_num_queries):
    client = client_for(iso)
    helpers.site(tree.town, "一号", rooms=(("1", 2),))
    few = queries_for(client, URL)
    for n in range(9):
        site = helpers.site(tree.village, f"隔离点{n}", rooms=(("1", 2), ("2", 2)))
        helpers.check_in(site, helpers.key_person(tree.grid, f"居民{n}"))
    with django_assert_max_num_queries(12):
        many = queries_for(client, URL)
    assert few == many
