"""Manual entry and household investigation: a registered person or a new one."""

import datetime

from django.urls import reverse
from django.utils import timezone

from fangkong.ledger.models import KeyPerson
from fangkong.people.models import Person
from tests import factories
from tests.ledger import helpers

URL = reverse("ledger:keyperson_create")
SEARCH = reverse("ledger:person_search")


def entry(tree, **values):
    data = {
        "area": tree.grid.code,
        "category": helpers.category("close_contact").pk,
        "measure": "",
        "period_start": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "origin": "北京市",
    }
    data.update(values)
    return data


def test_it_enters_a_registered_person(client_for, users, tree):
    person = factories.person(tree.grid2, "张三")
    client = client_for(users.village)
    assert client.get(URL).status_code == 200
    response = client.post(URL, entry(tree, person=person.pk))
    assert response.status_code == 302
    kp = KeyPerson.objects.get()
    assert kp.person == person and kp.source == "manual"
    # Managed where the person lives; the category's default measure.
    assert kp.area_id == tree.grid2.code and kp.measure == "central_isolation"
    assert kp.period_end == kp.period_start + datetime.timedelta(days=13)


def test_an_investigation_registers_a_new_person(client_for, users, tree):
    client = client_for(users.village)
    number = factories.id_number("370305")
    response = client.post(
        URL,
        entry(tree, source="investigation", name="新人", id_number=number, phone="13811112222"),
    )
    assert response.status_code == 302
    kp = KeyPerson.objects.get()
    assert kp.source == "investigation" and kp.person.name == "新人"
    assert kp.person.area_id == tree.grid.code


def test_bad_entries_are_refused_and_nothing_written(client_for, users, tree):
    client = client_for(users.village)
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    bad = [
        entry(tree, name="x", id_number="370305198001010000"),  # checksum
        entry(tree, name="x", period_start=future),
        entry(tree),  # neither a person nor a name
        entry(tree, name="x", area=tree.other_grid.code),
        entry(tree, person=factories.person(tree.other_village).pk),
    ]
    for data in bad:
        assert client.post(URL, data).status_code == 400, data
    assert not KeyPerson.objects.exists()
    assert not Person.objects.filter(name="x").exists()


def test_a_person_already_managed_is_refused(client_for, users, tree):
    kp = helpers.key_person(tree.grid)
    response = client_for(users.village).post(URL, entry(tree, person=kp.person_id))
    assert response.status_code == 400
    assert KeyPerson.objects.count() == 1


def test_the_person_search_is_scoped(client_for, users, tree):
    mine = factories.person(tree.grid, "张三")
    other = factories.person(tree.other_village, "张四")
    body = client_for(users.village).get(SEARCH, {"q": "张"}).content.decode()
    assert f'value="{mine.pk}"' in body and f'value="{other.pk}"' not in body
    assert client_for(users.norole).get(SEARCH, {"q": "张"}).status_code == 404


def test_permission_matrix(client_for, users, tree):
    person = factories.person(tree.grid)
    for who in ("outsider", "other_town", "norole", "grid", "command"):
        client = client_for(getattr(users, who))
        response = client.post(URL, entry(tree, person=person.pk))
        assert response.status_code in (400, 404), who
    assert not KeyPerson.objects.exists()
    for who in ("norole", "grid", "command"):
        assert client_for(getattr(users, who)).get(URL).status_code == 404
