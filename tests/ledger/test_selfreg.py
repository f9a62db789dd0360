"""The public self-registration page (返乡登记): no login, rate-limited, tells nothing."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from fangkong.inbox.models import Notification
from fangkong.ledger.models import Push
from tests import factories

URL = reverse("ledger:selfreg")
AREAS = reverse("ledger:selfreg_areas")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def form(tree, **values):
    data = {
        "name": "刘七",
        "id_number": factories.id_number("420106"),
        "phone": "13912345678",
        "origin": "湖北省武汉市武昌区",
        "arrived_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "area": tree.village.code,
        "address": "太公社区3号楼2单元",
    }
    data.update(values)
    return data


def test_it_creates_a_pending_push_for_the_village(client, users, tree):
    page = client.get(URL)
    assert page.status_code == 200
    response = client.post(URL, form(tree))
    assert response.status_code == 302 and response["Location"] == reverse("ledger:selfreg_done")
    push = Push.objects.get()
    assert push.source == Push.Source.SELF_REGISTRATION and push.state == Push.State.PENDING
    assert push.area_id == tree.village.code and push.reasons == "self"
    assert push.id_number_masked and "13912345678" not in push.phone_encrypted
    assert Notification.objects.filter(user=users.village, kind="self_registration").exists()
    assert client.get(response["Location"]).status_code == 200


def test_a_repeat_answers_the_same_and_stores_once(client, tree):
    data = form(tree)
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Push.objects.count() == 1


def test_it_reveals_nothing_about_registered_persons(client, tree):
    person = factories.person(tree.grid, "周八")
    from fangkong.people.services import person_reveal_value

    number = person_reveal_value(person, "id_number")
    response = client.post(URL, form(tree, name="周八", id_number=number))
    assert response.status_code == 302
    body = client.get(URL).content.decode()
    assert "周八" not in body and person.id_number_masked not in body


@pytest.mark.parametrize(
    "field, value",
    [
        ("id_number", "420106198001010011"),  # checksum wrong
        ("phone", "12345"),
        ("arrived_on", "2999-01-01"),
        ("area", "370302001001"),  # outside the district
        ("area", "370305003"),  # a town, not a village
        ("name", ""),
    ],
)
def test_bad_input_is_refused_and_nothing_written(client, tree, field, value):
    response = client.post(URL, form(tree, **{field: value}))
    assert response.status_code == 400
    assert f'data-field-error="{field}"' in response.content.decode()
    assert not Push.objects.exists()


def test_it_is_rate_limited_per_address(client, tree, settings):
    settings.FANGKONG_SELF_REGISTRATION_PER_HOUR = 2
    for _n in range(2):
        client.post(URL, form(tree, id_number=factories.id_number("420106")))
    response = client.post(URL, form(tree, id_number=factories.id_number("420106")))
    assert response.status_code == 429
    assert Push.objects.count() == 2
    other = client.post(
        URL, form(tree, id_number=factories.id_number("420106")), REMOTE_ADDR="10.9.9.9"
    )
    assert other.status_code == 302


def test_a_bot_filling_the_hidden_field_stores_nothing(client, tree):
    response = client.post(URL, form(tree, website="http://spam"))
    assert response.status_code == 302
    assert not Push.objects.exists()


def test_villages_are_found_by_pinyin_within_the_district(client, tree):
    body = client.get(AREAS, {"q": "tg"}).content.decode()
    assert tree.village.code in body and tree.far_village.code not in body
    body = client.get(AREAS, {"q": "社区"}).content.decode()
    assert tree.village2.code in body and tree.other_village.code in body
    assert tree.far_village.code not in body and tree.grid.code not in body
