import re

from django.urls import reverse

from tests import factories
from tests.ui.queries import queries_for

URL = reverse("people:household_list")


def _rows(response) -> dict[int, int]:
    body = response.content.decode()
    rows = re.findall(r'<tr data-id="(\d+)">.*?data-members="(\d+)"', body, flags=re.S)
    return {int(pk): int(n) for pk, n in rows}


def test_it_lists_households_of_the_scope_with_member_counts(client_for, users, tree):
    big = factories.household(tree.village, "赵大")
    factories.persons(tree.grid, 3, household=big)
    empty = factories.household(tree.village2, "钱二")
    factories.household(tree.other_village, "孙三")
    assert _rows(client_for(users.town).get(URL)) == {big.pk: 3, empty.pk: 0}
    assert _rows(client_for(users.village).get(URL)) == {big.pk: 3}
    assert _rows(client_for(users.outsider).get(URL)) == {}


def test_it_filters_by_name_address_and_area(client_for, users, tree):
    zhao = factories.household(tree.village, "赵大", address="太公路1号")
    qian = factories.household(tree.village2, "钱二", address="乙烯路2号")
    client = client_for(users.town)
    assert list(_rows(client.get(URL, {"q": "赵"}))) == [zhao.pk]
    assert list(_rows(client.get(URL, {"q": "乙烯路"}))) == [qian.pk]
    assert list(_rows(client.get(URL, {"area": tree.village2.code}))) == [qian.pk]
    response = client.get(URL, {"area": tree.other_village.code})
    assert response.context["form"].errors["area"] and _rows(response) == {}


def test_it_links_the_export_by_permission(client_for, users, tree):
    body = client_for(users.town).get(URL, {"q": "赵"}).content.decode()
    assert reverse("transfer:export", args=["households"]) in body
    body = client_for(users.grid).get(URL).content.decode()
    assert 'data-testid="export"' not in body


def test_it_is_hidden_without_the_role(client_for, client, users):
    assert client_for(users.norole).get(URL).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


def test_it_costs_the_same_for_5_or_50_households(
    client_for, users, tree, django_assert_max_num_queries
):
    client = client_for(users.town)
    for _ in range(5):
        factories.person(tree.grid, household=factories.household(tree.village))
    few = queries_for(client, URL)
    for _ in range(45):
        factories.household(tree.village2)
    with django_assert_max_num_queries(10):
        many = queries_for(client, URL)
    assert few == many
