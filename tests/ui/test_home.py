import re

from django.urls import reverse

from fangkong.accounts.roles import ROLES
from fangkong.core import navigation
from fangkong.core.navigation import HomePanel
from tests import factories
from tests.ui.queries import queries_for


def _counters(body: str) -> dict[str, str]:
    return dict(re.findall(r'data-counter="([^"]+)">.*?fk-stat-value">([^<]+)<', body, flags=re.S))


def test_it_counts_persons_and_households_in_scope(client_for, users, tree):
    household = factories.household(tree.village)
    factories.person(tree.grid, household=household)
    factories.person(tree.grid2)
    factories.person(tree.other_village)
    body = client_for(users.town).get(reverse("home")).content.decode()
    counters = _counters(body)
    assert counters[reverse("people:person_list")] == "2"
    assert counters[reverse("people:household_list")] == "1"
    body = client_for(users.command).get(reverse("home")).content.decode()
    assert _counters(body)[reverse("people:person_list")] == "3"


def test_it_shows_scope_and_roles(client_for, users):
    response = client_for(users.village).get(reverse("home"))
    body = response.content.decode()
    assert "太公社区居民委员会" in body
    assert [str(r) for r in response.context["roles"]] == [str(ROLES["village_staff"][0])]


def test_it_offers_quick_links_by_permission(client_for, users):
    body = client_for(users.grid).get(reverse("home")).content.decode()
    links = body[body.index('data-testid="quick-links"') :]
    assert reverse("people:person_create") in links
    assert reverse("accounts:user_create") not in links
    body = client_for(users.town).get(reverse("home")).content.decode()
    assert reverse("accounts:user_create") in body[body.index('data-testid="quick-links"') :]


def test_it_shows_nothing_of_the_data_to_a_user_without_roles(client_for, users, tree):
    factories.person(tree.grid)
    body = client_for(users.norole).get(reverse("home")).content.decode()
    assert 'data-testid="counters"' not in body
    assert 'data-testid="quick-links"' not in body


def test_it_renders_registered_task_panels(client_for, users, monkeypatch):
    monkeypatch.setattr(navigation.registry, "panels", [])
    navigation.register_panel(HomePanel("core/includes/form_errors.html", "core.view_area"))
    response = client_for(users.grid).get(reverse("home"))
    assert "core/includes/form_errors.html" in [t.name for t in response.templates]


def test_it_costs_the_same_for_5_or_50_persons(
    client_for, users, tree, django_assert_max_num_queries
):
    client = client_for(users.town)
    factories.persons(tree.grid, 5)
    few = queries_for(client, reverse("home"))
    factories.persons(tree.grid, 45)
    # One query per module's counter or panel and one for the inbox badge: a constant.
    with django_assert_max_num_queries(17):
        many = queries_for(client, reverse("home"))
    assert few == many
