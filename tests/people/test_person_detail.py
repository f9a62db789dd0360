import datetime
import re

from django.urls import reverse

from fangkong.people.services import person_reveal_value
from tests import factories


def url(person):
    return reverse("people:person_detail", args=[person.pk])


def test_it_shows_the_fields_derived_from_the_id_number(client_for, users, tree):
    number = factories.id_number("370302", datetime.date(1985, 3, 9), seq=11)
    person = factories.person(tree.grid, "王五", id_number=number, occupation="教师")
    response = client_for(users.village).get(url(person))
    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'data-field="birth_date">\s*1985-03-09', body)
    assert 'data-field="sex">male<' in body or 'data-field="sex">男<' in body
    assert "山东省淄博市淄川区" in body
    assert "教师" in body


def test_it_masks_and_offers_reveal_to_holders_only(client_for, users, tree):
    person = factories.person(tree.grid)
    full = person_reveal_value(person, "id_number")
    body = client_for(users.village).get(url(person)).content.decode()
    assert full not in body and person.id_number_masked in body
    assert 'data-reveal="id_number"' in body and 'data-reveal="phone"' in body
    body = client_for(users.grid).get(url(person)).content.decode()
    assert 'data-reveal="id_number"' not in body


def test_it_shows_the_household_and_its_members(client_for, users, tree):
    household = factories.household(tree.village, "赵大")
    head = factories.person(tree.grid, "赵大", household=household, relation="户主")
    child = factories.person(tree.grid2, "赵小", household=household, relation="子女")
    body = client_for(users.village).get(url(child)).content.decode()
    members = re.findall(r'data-member="(\d+)"', body)
    assert members == [str(head.pk), str(child.pk)]


def test_it_shows_who_changed_what(client_for, users, tree):
    person = factories.person(tree.grid, "王五")
    client = client_for(users.village)
    response = client.post(
        reverse("people:person_edit", args=[person.pk]),
        {"name": "王六", "area": tree.grid2.code, "phone": "13600001111"},
    )
    assert response.status_code == 302
    body = client.get(url(person)).content.decode()
    history = body[body.index('data-testid="history"') :]
    assert 'data-history-user="village"' in history
    assert "王五" in history and "王六" in history
    assert tree.grid2.name in history
    # A protected value changes without showing either value.
    assert 'data-changed-field="phone"' in history
    # The ID number was left blank (kept): re-encrypting it is not a change.
    assert 'data-changed-field="id_number"' not in history
    assert "13600001111" not in body and person.phone_masked not in history


def test_it_answers_404_outside_the_scope_or_without_the_role(client_for, users, tree):
    person = factories.person(tree.grid)
    for who in ("other_town", "outsider", "norole"):
        assert client_for(getattr(users, who)).get(url(person)).status_code == 404, who
    assert client_for(users.grid).get(url(factories.person(tree.grid2))).status_code == 404
    assert client_for(users.command).get(url(person)).status_code == 200
