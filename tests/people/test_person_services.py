import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from fangkong.core import pii
from fangkong.core.models import AccessLog
from fangkong.core.services import Origin
from fangkong.people.models import Person
from fangkong.people.services import person_create, person_reveal, person_update
from tests import factories


def test_it_stores_identifiers_only_encrypted(tree, users):
    number = factories.id_number("370305")
    person = person_create(
        actor=users.village, area=tree.grid, name="李四", id_number=number, phone="13912345678"
    )
    row = Person.objects.values().get(pk=person.pk)
    assert number not in str(row) and "13912345678" not in str(row)
    assert row["id_number_hash"] == pii.digest(number)
    assert row["id_number_masked"] == number[:4] + "*" * 10 + number[-4:]
    assert row["phone_masked"] == "139****5678"
    assert row["native_region"] == "370305"
    assert person.birth_date.isoformat().replace("-", "") == number[6:14]
    assert person.name_pinyin == "lisi ls"


def test_it_refuses_a_duplicate_id_number(tree, users):
    number = factories.id_number()
    factories.person(tree.grid, id_number=number)
    with pytest.raises(ValidationError) as exc:
        factories.person(tree.grid2, id_number=number)
    assert "id_number" in exc.value.message_dict
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("id_number", "370305198506151230"), ("id_number", "3703051985"), ("phone", "1391234567x")],
)
def test_it_reports_bad_identifiers_by_field(tree, users, field, value):
    kwargs = {"id_number": factories.id_number(), "phone": "13912345678", field: value}
    with pytest.raises(ValidationError) as exc:
        person_create(actor=users.village, area=tree.grid, name="李四", **kwargs)
    assert field in exc.value.message_dict
    assert not Person.objects.exists()


def test_it_refuses_an_area_outside_the_actors_scope(tree, users):
    with pytest.raises(ValidationError) as exc:
        person_create(actor=users.village, area=tree.other_village, name="李四")
    assert "area" in exc.value.message_dict
    assert not Person.objects.exists()


def test_it_refuses_a_household_of_another_village(tree, users):
    household = factories.household(tree.village2)
    with pytest.raises(ValidationError) as exc:
        person_create(actor=users.town, area=tree.grid, name="李四", household=household)
    assert "household" in exc.value.message_dict


def test_it_keeps_identifiers_when_the_update_leaves_them_out(tree, users):
    person = factories.person(tree.grid, "王五")
    before = (person.id_number_hash, person.phone_hash)
    person = person_update(
        actor=users.village, person=person, area=tree.grid2, name="王五一", occupation="教师"
    )
    assert (person.id_number_hash, person.phone_hash) == before
    assert person.area_id == tree.grid2.code
    assert person.history.count() == 2
    assert person.history.first().occupation == "教师"


def test_it_logs_every_reveal(tree, users):
    person = factories.person(tree.grid, id_number=factories.id_number())
    value = person_reveal(
        actor=users.village,
        person=person,
        field="id_number",
        origin=Origin(ip_address="10.1.2.3", user_agent="test"),
    )
    assert pii.digest(value) == person.id_number_hash
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.action, entry.fields, entry.ip_address) == (
        users.village,
        "reveal",
        "id_number",
        "10.1.2.3",
    )
    assert entry.area_id == tree.grid.code


def test_it_refuses_a_reveal_without_the_permission(tree, users):
    person = factories.person(tree.grid)
    with pytest.raises(PermissionError):
        person_reveal(actor=users.grid, person=person, field="phone", origin=Origin())
    assert not AccessLog.objects.exists()


def test_it_creates_one_person_when_two_clerks_enter_the_same_id(transactional_db):
    tree = factories.area_tree()
    users = factories.standard_users(tree)
    number = factories.id_number()
    errors, barrier = [], threading.Barrier(2)

    def enter():
        try:
            barrier.wait()
            person_create(actor=users.village, area=tree.grid, name="并发", id_number=number)
        except ValidationError as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=enter) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Person.objects.filter(id_number_hash=pii.digest(number)).count() == 1
    assert len(errors) == 1 and "id_number" in errors[0].message_dict


def test_it_refuses_a_hand_typed_birth_date_in_the_future(tree, users):
    import datetime

    with pytest.raises(ValidationError) as exc:
        person_create(
            actor=users.village,
            area=tree.grid,
            name="无证",
            birth_date=datetime.date.today() + datetime.timedelta(days=2),
        )
    assert "birth_date" in exc.value.message_dict
    assert not Person.objects.exists()


def test_it_names_the_id_number_when_a_colleague_wins_the_race(tree, users, monkeypatch):
    # The colleague's insert lands between this clerk's duplicate check and save: the
    # database's unique hash decides, and the message still names the ID number.
    from fangkong.people import services

    number = factories.id_number()
    person_create(actor=users.village, area=tree.grid, name="先到", id_number=number)
    monkeypatch.setattr(services, "_check_duplicate", lambda person: None)
    with pytest.raises(ValidationError) as exc:
        person_create(actor=users.village, area=tree.grid, name="后到", id_number=number)
    assert list(exc.value.message_dict) == ["id_number"]
    assert Person.objects.filter(id_number_hash=pii.digest(number)).count() == 1
