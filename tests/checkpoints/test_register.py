"""The registration page: a car and all its occupants in one form, on a phone."""

import re

import pytest
from django.urls import reverse

from fangkong.checkpoints.models import Registration, VehicleCheck
from fangkong.ledger.models import Push
from fangkong.monitoring.models import Alert
from tests import factories


def url(checkpoint):
    return reverse("checkpoints:checkpoint_register", kwargs={"pk": checkpoint.pk})


def form(*occupants, plate="鲁C12345", kind="car", key="k-1", **extra):
    data = {"plate": plate, "vehicle_kind": kind, "idempotency_key": key, "o": []}
    for index, values in enumerate(occupants):
        data["o"].append(str(index))
        for name, value in values.items():
            if value is True:
                value = "on"
            if value is not False:
                data[f"o{index}-{name}"] = value
    data.update(extra)
    return data


def person(**values):
    data = {
        "name": "李四",
        "id_number": factories.id_number("420106"),
        "phone": "13912345678",
        "origin": "湖北省武汉市",
        "temperature": "36.5",
        "destination_area": "370305003001001",
        "notice_given": True,
        "outcome": "pass",
    }
    data.update(values)
    return data


def test_it_shows_the_form_to_the_staff_on_duty(client_for, staff, checkpoint):
    response = client_for(staff).get(url(checkpoint))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="idempotency_key"' in html and "fk-occupant-template" in html
    assert 'inputmode="decimal"' in html and "data-key" in html


@pytest.mark.parametrize("who", ["outsider", "other_town", "norole", "grid"])
def test_it_hides_the_page_from_others(client_for, users, checkpoint, who):
    client = client_for(getattr(users, who))
    assert client.get(url(checkpoint)).status_code == 404
    assert client.post(url(checkpoint), form(person())).status_code == 404
    assert not VehicleCheck.objects.exists()


def test_it_hides_other_checkpoints_from_checkpoint_staff(client_for, tree, staff):
    from fangkong.checkpoints import services

    other = services.checkpoint_create(
        actor=None, area=tree.town, name="别处", level=2, kind="road"
    )
    assert client_for(staff).get(url(other)).status_code == 404


def test_it_registers_a_car_of_three_with_one_fever(client_for, users, staff, checkpoint):
    client = client_for(staff)
    response = client.post(
        url(checkpoint),
        form(person(name="甲"), person(name="乙", temperature="38.5"), person(name="丙")),
    )
    assert response.status_code == 302
    vehicle = VehicleCheck.objects.get()
    assert vehicle.recorded_by == staff and vehicle.occupants.count() == 3
    assert Registration.objects.get(name="乙").outcome == "fever_referral"
    assert Push.objects.count() == 2 and Alert.objects.count() == 1
    page = client.get(response["Location"])
    assert f'href="{reverse("checkpoints:vehiclecheck_detail", args=[vehicle.pk])}"' in (
        page.content.decode()
    )


def test_it_stores_a_double_tap_once(client_for, staff, checkpoint):
    client = client_for(staff)
    data = form(person())
    assert client.post(url(checkpoint), data).status_code == 302
    assert client.post(url(checkpoint), data).status_code == 302
    assert VehicleCheck.objects.count() == 1 and Push.objects.count() == 1


def test_it_shows_each_error_under_its_person_and_keeps_the_input(client_for, staff, checkpoint):
    response = client_for(staff).post(
        url(checkpoint),
        form(
            person(name="好人"),
            person(name="坏人", temperature="45", id_number="123"),
            plate="鲁C1",
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    cards = re.split(r'data-occupant="', html)
    bad = next(card for card in cards if 'value="坏人"' in card)
    assert 'data-field-error="temperature"' in bad and 'data-field-error="id_number"' in bad
    good = next(card for card in cards if 'value="好人"' in card)
    assert "data-field-error" not in good.split("</section>")[0]
    assert 'data-field-error="plate"' in html
    assert not VehicleCheck.objects.exists()


def test_it_refuses_a_closed_checkpoint(client_for, staff, checkpoint):
    checkpoint.is_open = False
    checkpoint.save()
    response = client_for(staff).post(url(checkpoint), form(person()))
    assert response.status_code == 400 and "data-form-errors" in response.content.decode()
    assert not VehicleCheck.objects.exists()
