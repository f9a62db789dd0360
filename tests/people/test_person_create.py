import datetime
import re

from django.urls import reverse

from fangkong.people.models import Person
from fangkong.people.services import person_reveal_value
from tests import factories

URL = reverse("people:person_create")


def _data(tree, **extra):
    data = {
        "name": "王五",
        "id_number": factories.id_number("370305", datetime.date(1990, 2, 3), seq=7),
        "phone": "13800138000",
        "area": tree.grid.code,
        "address": "太公社区1号",
        "relation": "户主",
        "occupation": "工人",
        "workplace": "齐鲁石化",
        "note": "",
    }
    data.update(extra)
    return data


def _field_errors(response) -> set[str]:
    return set(re.findall(r'data-field-error="(\w+)"', response.content.decode()))


def test_it_registers_a_person(client_for, users, tree):
    data = _data(tree)
    response = client_for(users.village).post(URL, data)
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[person.pk])
    assert person.area == tree.grid and person.created_by == users.village
    assert person_reveal_value(person, "id_number") == data["id_number"]
    assert (person.sex, person.birth_date, person.native_region) == (
        "M",
        datetime.date(1990, 2, 3),
        "370305",
    )
    assert person.history.get().history_user == users.village


def test_it_registers_into_a_household(client_for, users, tree):
    household = factories.household(tree.village)
    client = client_for(users.village)
    response = client.get(URL, {"household": household.pk})
    assert response.context["form"].initial["household"] == household.pk
    assert client.post(URL, _data(tree, household=household.pk)).status_code == 302
    assert Person.objects.get().household == household


def test_it_keeps_sex_and_birth_date_for_a_person_without_id_number(client_for, users, tree):
    data = _data(tree, id_number="", sex="F", birth_date="2001-04-05")
    assert client_for(users.village).post(URL, data).status_code == 302
    person = Person.objects.get()
    assert (person.sex, person.birth_date) == ("F", datetime.date(2001, 4, 5))


def test_it_refuses_a_bad_checksum(client_for, users, tree):
    number = factories.id_number()
    bad = number[:17] + ("0" if number[17] != "0" else "1")
    response = client_for(users.village).post(URL, _data(tree, id_number=bad))
    assert response.status_code == 400
    assert _field_errors(response) == {"id_number"}
    assert not Person.objects.exists()


def test_it_refuses_a_phone_with_letters(client_for, users, tree):
    response = client_for(users.village).post(URL, _data(tree, phone="138abc12345"))
    assert response.status_code == 400
    assert _field_errors(response) == {"phone"}
    assert not Person.objects.exists()


def test_it_refuses_a_birth_date_in_the_future(client_for, users, tree):
    future = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = client_for(users.village).post(URL, _data(tree, id_number="", birth_date=future))
    assert _field_errors(response) == {"birth_date"}
    assert not Person.objects.exists()


def test_it_refuses_a_forged_area_outside_the_scope(client_for, users, tree):
    for area in (tree.other_village, tree.grid3, tree.town):
        response = client_for(users.village).post(URL, _data(tree, area=area.code))
        assert response.status_code == 400
        assert _field_errors(response) == {"area"}, area
    assert not Person.objects.exists()


def test_it_refuses_a_household_outside_the_scope(client_for, users, tree):
    elsewhere = factories.household(tree.other_village)
    other_village = factories.household(tree.village2)
    for household in (elsewhere, other_village):
        response = client_for(users.village).post(URL, _data(tree, household=household.pk))
        assert _field_errors(response) == {"household"}
    # In scope for the town admin, but in another village than the chosen grid.
    response = client_for(users.town).post(URL, _data(tree, household=other_village.pk))
    assert _field_errors(response) == {"household"}
    assert not Person.objects.exists()


def test_it_refuses_a_duplicate_id_number(client_for, users, tree):
    existing = factories.person(tree.grid)
    number = person_reveal_value(existing, "id_number")
    response = client_for(users.village).post(URL, _data(tree, id_number=number))
    assert _field_errors(response) == {"id_number"}
    assert Person.objects.count() == 1


def test_it_offers_only_villages_and_grids_in_scope(client_for, users, tree):
    choices = client_for(users.grid).get(URL).context["form"].fields["area"].choices
    codes = [code for _group, options in choices[1:] for code, _label in options]
    assert codes == [tree.grid.code]
    choices = client_for(users.town).get(URL).context["form"].fields["area"].choices
    codes = {code for _group, options in choices[1:] for code, _label in options}
    assert tree.village.code in codes and tree.grid3.code in codes
    assert tree.other_village.code not in codes and tree.town.code not in codes


def test_it_is_hidden_without_the_role(client_for, client, users, tree):
    for who in ("command", "norole"):
        assert client_for(getattr(users, who)).get(URL).status_code == 404, who
        response = client_for(getattr(users, who)).post(URL, _data(tree))
        assert response.status_code == 404, who
    client.logout()
    assert client.get(URL).status_code == 302
    assert not Person.objects.exists()
