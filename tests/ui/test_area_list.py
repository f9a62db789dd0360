import re

from django.urls import reverse

from tests import factories
from tests.ui.queries import queries_for

URL = reverse("core:area_list")


def _result_codes(body: str) -> list[str]:
    if 'data-testid="area-results"' not in body:
        return []
    part = body[body.index('data-testid="area-results"') :]
    part = part[: part.index("</div>\n</div>") if "</div>\n</div>" in part else len(part)]
    return re.findall(r'data-code="(\d+)"', part)


def test_it_shows_the_scope_root_with_its_children(client_for, users, tree):
    response = client_for(users.town).get(URL)
    assert response.status_code == 200
    assert response.context["area"] == tree.town
    assert [c.code for c in response.context["children"]] == [
        tree.village.code,
        tree.village2.code,
    ]


def test_it_finds_areas_by_initials_pinyin_and_name(client_for, users, tree):
    client = client_for(users.command)
    for query in ("xd", "xindian", "辛店", "XD"):
        results = client.get(URL, {"q": query}).context["results"]
        assert tree.town in results, query


def test_it_searches_only_inside_the_scope(client_for, users, tree):
    results = client_for(users.town).get(URL, {"q": "晏婴"}).context["results"]
    assert results == []
    results = client_for(users.outsider).get(URL, {"q": "xd"}).context["results"]
    assert tree.town not in results
    results = client_for(users.village).get(URL, {"q": "xd"}).context["results"]
    assert tree.town not in results


def test_it_answers_htmx_with_the_results_only(client_for, users, tree):
    response = client_for(users.command).get(
        URL, {"q": "xd"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="area-results"
    )
    body = response.content.decode()
    assert "<html" not in body
    assert tree.town.code in _result_codes(body)


def test_it_finds_by_code_prefix(client_for, users, tree):
    results = client_for(users.town).get(URL, {"q": "370305003001"}).context["results"]
    assert tree.village in results and tree.grid in results and tree.village2 not in results


def test_it_is_hidden_without_the_role(client_for, client, users):
    assert client_for(users.norole).get(URL).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


def test_it_costs_the_same_for_5_or_50_persons(
    client_for, users, tree, django_assert_max_num_queries
):
    client = client_for(users.town)
    factories.persons(tree.grid, 5)
    few = queries_for(client, URL)
    factories.persons(tree.village2, 45)
    with django_assert_max_num_queries(10):
        many = queries_for(client, URL)
    assert few == many
