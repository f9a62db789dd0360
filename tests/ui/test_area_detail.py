import re

from django.urls import reverse

from fangkong.core.models import Area
from tests import factories
from tests.ui.queries import queries_for


def url(area):
    return reverse("core:area_detail", args=[area.code])


def _breadcrumb(body: str) -> list[str]:
    part = body[body.index('data-testid="breadcrumb"') : body.index("</ol>")]
    return re.findall(r'data-code="(\d+)"', part)


def _counts(body: str) -> dict[str, int]:
    part = body[body.index('data-testid="children"') :]
    return {
        code: int(n)
        for code, n in re.findall(r'<tr data-code="(\d+)">.*?data-count="(\d+)"', part, flags=re.S)
    }


def test_it_never_shows_the_path_above_the_scope(client_for, users, tree):
    body = client_for(users.town).get(url(tree.grid)).content.decode()
    assert _breadcrumb(body) == [tree.town.code, tree.village.code, tree.grid.code]
    body = client_for(users.command).get(url(tree.grid)).content.decode()
    assert _breadcrumb(body)[0] == tree.county.code


def test_it_counts_persons_per_child(client_for, users, tree):
    factories.persons(tree.grid, 2)
    factories.persons(tree.grid2, 1)
    factories.persons(tree.grid3, 3)
    factories.person(tree.village)
    body = client_for(users.town).get(url(tree.town)).content.decode()
    assert _counts(body) == {tree.village.code: 4, tree.village2.code: 3}
    response = client_for(users.town).get(url(tree.village))
    assert _counts(response.content.decode()) == {tree.grid.code: 2, tree.grid2.code: 1}
    assert response.context["unassigned"] == 1


def test_it_counts_children_in_one_query(client_for, users, tree, django_assert_max_num_queries):
    client = client_for(users.town)
    factories.person(tree.grid)
    few = queries_for(client, url(tree.town))
    for n in range(3, 8):
        village = factories.area(f"370305003{n:03d}", f"测试村{n}", Area.Level.VILLAGE, tree.town)
        factories.persons(village, 2)
    with django_assert_max_num_queries(10):
        many = queries_for(client, url(tree.town))
    assert few == many


def test_it_hides_counts_without_the_person_permission(client_for, users, tree, monkeypatch):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="areas_only")
    group.permissions.add(Permission.objects.get(codename="view_area"))
    reader = factories.user("reader", tree.town)
    reader.groups.add(group)
    body = client_for(reader).get(url(tree.town)).content.decode()
    assert "data-count" not in body


def test_it_answers_404_outside_the_scope(client_for, users, tree):
    assert client_for(users.town).get(url(tree.other_village)).status_code == 404
    assert client_for(users.town).get(url(tree.county)).status_code == 404
    assert client_for(users.village).get(url(tree.town)).status_code == 404
    assert client_for(users.outsider).get(url(tree.town)).status_code == 404
    assert client_for(users.other_town).get(url(tree.grid)).status_code == 404
    assert client_for(users.norole).get(url(tree.town)).status_code == 404
    assert client_for(users.town).get("/areas/370305003999/").status_code == 404


def test_it_shows_an_area_inside_the_scope(client_for, users, tree):
    response = client_for(users.grid).get(url(tree.grid))
    assert response.status_code == 200
    assert response.context["area"] == tree.grid
