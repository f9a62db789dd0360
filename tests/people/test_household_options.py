import re

from django.urls import reverse

from tests import factories

URL = reverse("people:household_options")


def _values(response) -> list[str]:
    return re.findall(r'<option value="(\d*)"', response.content.decode())


def test_it_offers_the_households_of_the_chosen_village(client_for, users, tree):
    here = factories.household(tree.grid, "赵大")
    there = factories.household(tree.village2, "钱二")
    client = client_for(users.town)
    assert _values(client.get(URL, {"area": tree.grid2.code})) == ["", str(here.pk)]
    assert _values(client.get(URL, {"area": tree.grid3.code})) == ["", str(there.pk)]
    assert _values(client.get(URL, {"area": ""})) == [""]


def test_it_offers_nothing_outside_the_scope(client_for, users, tree):
    factories.household(tree.other_village)
    response = client_for(users.town).get(URL, {"area": tree.other_village.code})
    assert _values(response) == [""]
    assert client_for(users.norole).get(URL, {"area": tree.village.code}).status_code == 404
