import re

from django.urls import reverse

from tests import factories
from tests.ui.queries import queries_for

URL = reverse("accounts:user_list")


def _usernames(response) -> list[str]:
    return re.findall(r'data-username="([^"]+)"', response.content.decode())


def test_it_lists_the_users_of_the_scope(client_for, users):
    assert _usernames(client_for(users.town).get(URL)) == ["norole", "town", "village", "grid"]
    names = _usernames(client_for(users.command).get(URL))
    assert "other_town" in names and "outsider" not in names
    assert _usernames(client_for(users.outsider).get(URL)) == ["outsider"]


def test_it_filters_by_name_role_and_area(client_for, users, tree):
    client = client_for(users.town)
    assert _usernames(client.get(URL, {"q": "vill"})) == ["village"]
    assert _usernames(client.get(URL, {"role": "grid_worker"})) == ["grid"]
    assert _usernames(client.get(URL, {"area": tree.village.code})) == ["village", "grid"]
    response = client.get(URL, {"area": tree.other_town.code})
    assert response.context["form"].errors["area"] and _usernames(response) == []


def test_it_shows_roles_and_edit_links(client_for, users):
    body = client_for(users.town).get(URL).content.decode()
    assert reverse("accounts:user_edit", args=[users.grid.pk]) in body
    assert reverse("accounts:user_password", args=[users.grid.pk]) in body


def test_it_is_hidden_from_roles_without_the_permission(client_for, client, users):
    for who in ("village", "grid", "norole"):
        assert client_for(getattr(users, who)).get(URL).status_code == 404, who
    client.logout()
    assert client.get(URL).status_code == 302


def test_it_costs_the_same_for_5_or_50_users(
    client_for, users, tree, django_assert_max_num_queries
):
    client = client_for(users.town)
    few = queries_for(client, URL)
    for n in range(45):
        factories.user(f"worker{n}", tree.grid, "grid_worker")
    with django_assert_max_num_queries(10):
        many = queries_for(client, URL)
    assert few == many
