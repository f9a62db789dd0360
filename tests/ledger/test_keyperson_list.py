"""The key-person list and "my persons": scoped, filtered, searched through the hash."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from fangkong.ledger import services
from fangkong.people.services import person_reveal_value
from tests.ledger import helpers
from tests.ui.queries import queries_for

URL = reverse("ledger:keyperson_list")
MINE = reverse("ledger:keyperson_mine")


def ids(body):
    return re.findall(r'<tr data-id="(\d+)"', body)


def test_it_lists_the_scope_and_filters(client_for, users, tree):
    a = helpers.key_person(tree.grid, "甲", category=helpers.category("hubei"))
    b = helpers.key_person(tree.village2, "乙", category=helpers.category("overseas"))
    helpers.key_person(tree.other_village, "丙")
    services.keyperson_transition(actor=None, key_person=b, to_state="lost", reason="电话不通")
    client = client_for(users.town)
    assert sorted(ids(client.get(URL).content.decode())) == sorted([str(a.pk), str(b.pk)])
    assert ids(client.get(URL, {"state": "lost"}).content.decode()) == [str(b.pk)]
    assert ids(client.get(URL, {"state": "open"}).content.decode()) == [str(a.pk)]
    cat = helpers.category("overseas").pk
    assert ids(client.get(URL, {"category": cat}).content.decode()) == [str(b.pk)]
    assert ids(client.get(URL, {"measure": "home_isolation"}).content.decode()) == [str(a.pk)]
    assert ids(client.get(URL, {"area": tree.village2.code}).content.decode()) == [str(b.pk)]
    end = a.period_end.isoformat()
    assert ids(client.get(URL, {"end_from": end, "end_to": end}).content.decode()) == [
        str(a.pk),
        str(b.pk),
    ]
    # The grid worker sees their grid only.
    assert ids(client_for(users.grid).get(URL).content.decode()) == [str(a.pk)]


def test_it_searches_by_full_id_number_phone_and_name(client_for, users, tree):
    a = helpers.key_person(tree.grid, "张三")
    helpers.key_person(tree.grid, "李四")
    client = client_for(users.village)
    number = person_reveal_value(a.person, "id_number")
    assert ids(client.get(URL, {"q": number}).content.decode()) == [str(a.pk)]
    phone = person_reveal_value(a.person, "phone")
    assert ids(client.get(URL, {"q": phone}).content.decode()) == [str(a.pk)]
    assert ids(client.get(URL, {"q": "张"}).content.decode()) == [str(a.pk)]
    assert ids(client.get(URL, {"q": "zs"}).content.decode()) == [str(a.pk)]
    # A partial ID number matches nothing (hashes match whole values only).
    assert ids(client.get(URL, {"q": number[:10]}).content.decode()) == []


def test_bad_filters_show_nothing(client_for, users, tree):
    helpers.key_person(tree.grid)
    client = client_for(users.village)
    for bad in (
        {"state": "x"},
        {"area": tree.other_village.code},
        {"end_from": "2020-02-02", "end_to": "2020-02-01"},
    ):
        response = client.get(URL, bad)
        assert response.status_code == 200 and ids(response.content.decode()) == [], bad


def test_my_persons_are_those_whose_team_i_am_in(client_for, users, tree):
    mine = helpers.key_person(tree.grid, "甲")
    helpers.key_person(tree.grid, "乙")
    services.team_member_set(
        actor=users.village, key_person=mine, role="grid_worker", user=users.grid
    )
    assert ids(client_for(users.grid).get(MINE).content.decode()) == [str(mine.pk)]
    assert ids(client_for(users.village).get(MINE).content.decode()) == []
    services.keyperson_transition(actor=None, key_person=mine, to_state="lost", reason="走失")
    assert ids(client_for(users.grid).get(MINE).content.decode()) == []


def test_permission_matrix(client_for, users, tree):
    helpers.key_person(tree.grid, "甲")
    for who in ("norole",):
        assert client_for(getattr(users, who)).get(URL).status_code == 404
        assert client_for(getattr(users, who)).get(MINE).status_code == 404
    for who in ("outsider", "other_town"):
        body = client_for(getattr(users, who)).get(URL).content.decode()
        assert ids(body) == []
    for who in ("grid", "village", "town", "command"):
        assert client_for(getattr(users, who)).get(URL).status_code == 200


def test_the_list_costs_the_same_for_few_or_many(client_for, users, tree):
    client = client_for(users.command)
    helpers.key_person(tree.grid)
    few = queries_for(client, URL)
    for n in range(10):
        helpers.key_person(tree.village2, f"人{n}")
    assert queries_for(client, URL) == few
    start = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert queries_for(client, URL + f"?state=open&end_from={start}") == few
