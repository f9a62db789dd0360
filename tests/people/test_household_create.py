import re

from django.urls import reverse

from fangkong.people.models import Household

URL = reverse("people:household_create")


def _data(tree, **extra):
    return {"head_name": "赵大", "address": "太公路1号", "area": tree.grid.code, **extra}


def test_it_registers_a_household(client_for, users, tree):
    response = client_for(users.grid).post(URL, _data(tree, number="H-1", note="三口人"))
    household = Household.objects.get()
    assert response["Location"] == reverse("people:household_detail", args=[household.pk])
    assert (household.area, household.number, household.note) == (tree.grid, "H-1", "三口人")
    assert household.history.get().history_user == users.grid


def test_it_refuses_missing_fields_and_forged_areas(client_for, users, tree):
    client = client_for(users.village)
    for extra, field in (
        ({"head_name": ""}, "head_name"),
        ({"address": ""}, "address"),
        ({"area": tree.other_village.code}, "area"),
        ({"area": tree.grid3.code}, "area"),
        ({"area": tree.town.code}, "area"),
    ):
        response = client.post(URL, _data(tree, **extra))
        assert response.status_code == 400
        assert re.findall(r'data-field-error="(\w+)"', response.content.decode()) == [field]
    assert not Household.objects.exists()


def test_it_is_hidden_without_the_role(client_for, client, users, tree):
    for who in ("command", "norole"):
        assert client_for(getattr(users, who)).post(URL, _data(tree)).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302
    assert not Household.objects.exists()
