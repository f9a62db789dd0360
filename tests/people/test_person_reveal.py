from django.urls import reverse

from fangkong.core.models import AccessLog
from fangkong.people.services import person_reveal_value
from tests import factories


def url(person, field="id_number"):
    return reverse("people:person_reveal", args=[person.pk, field])


def test_it_reveals_and_logs_who_what_when_and_where(client_for, users, tree):
    person = factories.person(tree.grid, "王五")
    response = client_for(users.village).post(
        url(person),
        HTTP_HX_REQUEST="true",
        REMOTE_ADDR="10.9.8.7",
        HTTP_USER_AGENT="grid-phone",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert person_reveal_value(person, "id_number") in body
    assert "<html" not in body
    entry = AccessLog.objects.get()
    assert entry.actor == users.village
    assert entry.action == "reveal" and entry.fields == "id_number"
    assert entry.target_id == str(person.pk) and entry.area_id == tree.grid.code
    assert entry.ip_address == "10.9.8.7" and entry.user_agent == "grid-phone"


def test_it_reveals_the_phone(client_for, users, tree):
    person = factories.person(tree.grid, phone="13512345678")
    response = client_for(users.village).post(url(person, "phone"), HTTP_HX_REQUEST="true")
    assert "13512345678" in response.content.decode()
    assert AccessLog.objects.get().fields == "phone"


def test_it_answers_a_plain_post_with_a_page(client_for, users, tree):
    person = factories.person(tree.grid)
    response = client_for(users.village).post(url(person))
    assert "<html" in response.content.decode()
    assert AccessLog.objects.count() == 1


def test_it_is_404_without_the_permission_and_logs_nothing(client_for, users, tree):
    person = factories.person(tree.grid)
    for who in ("grid", "norole", "other_town", "outsider"):
        response = client_for(getattr(users, who)).post(url(person), HTTP_HX_REQUEST="true")
        assert response.status_code == 404, who
    assert not AccessLog.objects.exists()


def test_it_refuses_other_fields_and_get(client_for, users, tree):
    person = factories.person(tree.grid)
    client = client_for(users.village)
    assert client.post(url(person, "name")).status_code == 404
    assert client.post(url(person, "id_number_encrypted")).status_code == 404
    assert client.get(url(person)).status_code == 405
    assert not AccessLog.objects.exists()
