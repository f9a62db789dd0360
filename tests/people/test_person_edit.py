import re

from django.urls import reverse

from fangkong.people.models import Person
from fangkong.people.services import person_reveal_value
from tests import factories


def url(person):
    return reverse("people:person_edit", args=[person.pk])


def _data(person, **extra):
    data = {"name": person.name, "area": person.area_id, "address": person.address}
    data.update(extra)
    return data


def test_it_keeps_the_id_number_and_phone_left_blank(client_for, users, tree):
    person = factories.person(tree.grid, "王五")
    before = (person.id_number_hash, person.phone_hash)
    response = client_for(users.village).post(url(person), _data(person, name="王六"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "王六"
    assert (person.id_number_hash, person.phone_hash) == before


def test_it_never_puts_the_stored_values_in_the_form(client_for, users, tree):
    person = factories.person(tree.grid)
    body = client_for(users.village).get(url(person)).content.decode()
    assert person_reveal_value(person, "id_number") not in body
    assert person_reveal_value(person, "phone") not in body


def test_it_changes_the_phone_and_area(client_for, users, tree):
    person = factories.person(tree.grid)
    data = _data(person, phone="13911112222", area=tree.grid2.code)
    assert client_for(users.village).post(url(person), data).status_code == 302
    person.refresh_from_db()
    assert person_reveal_value(person, "phone") == "13911112222"
    assert person.area == tree.grid2
    assert person.history.first().history_user == users.village


def test_it_derives_sex_and_birth_date_from_the_stored_id_number(client_for, users, tree):
    person = factories.person(tree.grid)
    data = _data(person, sex="F" if person.sex == "M" else "M", birth_date="1950-01-01")
    assert client_for(users.village).post(url(person), data).status_code == 302
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.sex, fresh.birth_date) == (person.sex, person.birth_date)


def test_it_refuses_bad_values_and_changes_nothing(client_for, users, tree):
    person = factories.person(tree.grid, "王五")
    client = client_for(users.village)
    number = factories.id_number()
    bad_checksum = number[:17] + ("0" if number[17] != "0" else "1")
    for extra, field in (
        ({"phone": "1390000abcd"}, "phone"),
        ({"id_number": bad_checksum}, "id_number"),
        ({"area": tree.other_village.code}, "area"),
        ({"name": ""}, "name"),
    ):
        response = client.post(url(person), _data(person, name="改名") | extra)
        assert response.status_code == 400
        assert field in re.findall(r'data-field-error="(\w+)"', response.content.decode())
    person.refresh_from_db()
    assert person.name == "王五" and person.history.count() == 1


def test_it_answers_404_outside_the_scope_or_without_the_role(client_for, users, tree):
    person = factories.person(tree.grid, "王五")
    for who in ("other_town", "outsider", "norole", "command"):
        client = client_for(getattr(users, who))
        assert client.get(url(person)).status_code == 404, who
        assert client.post(url(person), _data(person, name="改名")).status_code == 404, who
    assert client_for(users.grid).get(url(factories.person(tree.grid2))).status_code == 404
    person.refresh_from_db()
    assert person.name == "王五"
