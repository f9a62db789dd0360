import re

from django.urls import reverse

from tests import factories


def url(household):
    return reverse("people:household_detail", args=[household.pk])


def test_it_shows_the_household_and_its_members(client_for, users, tree):
    household = factories.household(tree.village, "赵大", address="太公路1号", number="H-7")
    members = [factories.person(tree.grid, "赵大", household=household)]
    members.append(factories.person(tree.grid2, "赵小", household=household))
    factories.person(tree.grid, "外人")
    response = client_for(users.village).get(url(household))
    body = response.content.decode()
    assert "太公路1号" in body and "H-7" in body
    part = body[body.index('data-testid="members"') :]
    assert re.findall(r'<tr data-id="(\d+)"', part) == [str(m.pk) for m in members]
    assert members[0].id_number_masked in part


def test_it_links_adding_a_member_by_permission(client_for, users, tree):
    household = factories.household(tree.grid)
    add = f"{reverse('people:person_create')}?household={household.pk}"
    assert add in client_for(users.grid).get(url(household)).content.decode()
    assert add not in client_for(users.command).get(url(household)).content.decode()


def test_it_shows_the_history(client_for, users, tree):
    household = factories.household(tree.village, "赵大")
    client = client_for(users.village)
    client.post(
        reverse("people:household_edit", args=[household.pk]),
        {"head_name": "赵二", "address": household.address, "area": tree.village.code},
    )
    body = client.get(url(household)).content.decode()
    history = body[body.index('data-testid="history"') :]
    assert 'data-history-user="village"' in history and "赵二" in history


def test_it_answers_404_outside_the_scope_or_without_the_role(client_for, users, tree):
    household = factories.household(tree.village)
    for who in ("other_town", "outsider", "norole"):
        assert client_for(getattr(users, who)).get(url(household)).status_code == 404, who
    elsewhere = factories.household(tree.village2)
    assert client_for(users.village).get(url(elsewhere)).status_code == 404
