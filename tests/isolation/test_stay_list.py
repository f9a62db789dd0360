from django.urls import reverse

from fangkong.isolation.services import stay_check_out
from tests.isolation import helpers
from tests.ui.queries import queries_for

URL = reverse("isolation:stay_list")


def test_it_lists_who_is_in_and_who_left(client_for, iso, site, tree):
    stay = helpers.check_in(site, helpers.key_person(tree.grid, "甲"))
    left = helpers.check_in(site, helpers.key_person(tree.grid, "乙"))
    stay_check_out(actor=None, stay=left, reason="期满")
    body = client_for(iso).get(URL).content.decode()
    assert f'data-stay="{stay.pk}"' in body and f'data-stay="{left.pk}"' not in body
    body = client_for(iso).get(URL + "?current=left").content.decode()
    assert f'data-stay="{stay.pk}"' not in body and f'data-stay="{left.pk}"' in body


def test_it_is_scoped(client_for, users, iso, site, tree):
    helpers.check_in(site, helpers.key_person(tree.grid, "钱八"))
    found = helpers.statuses(client_for, helpers.matrix(users, iso), URL)
    assert found["norole"] == 404 and found["village"] == 404 and found["iso"] == 200
    assert "钱八" not in client_for(users.other_town).get(URL).content.decode()
    assert "钱八" in client_for(users.town).get(URL).content.decode()


def test_it_costs_the_same_for_1_or_5_residents(client_for, iso, tree):
    site = helpers.site(tree.town, rooms=(("1", 5),))
    helpers.check_in(site, helpers.key_person(tree.grid, "甲"))
    few = queries_for(client_for(iso), URL)
    for n in range(4):
        helpers.check_in(site, helpers.key_person(tree.grid, f"乙{n}"))
    assert queries_for(client_for(iso), URL) == few
