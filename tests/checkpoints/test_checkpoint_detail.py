import pytest
from django.urls import reverse

from fangkong.checkpoints import services
from tests.checkpoints.conftest import occupant, register


def url(checkpoint):
    return reverse("checkpoints:checkpoint_detail", args=[checkpoint.pk])


def test_it_shows_today_and_the_latest_vehicles(client_for, users, staff, checkpoint):
    register(staff, checkpoint, occupant(), occupant(temperature="38.0"))
    response = client_for(users.town).get(url(checkpoint))
    assert response.status_code == 200
    assert response.context["totals"]["vehicles"] == 1
    assert response.context["totals"]["persons"] == 2
    assert response.context["totals"]["fever"] == 1
    assert len(response.context["recent"]) == 1


def test_it_lists_waiting_pre_filled_entries(client_for, staff, checkpoint):
    prefill = services.prefill_create(
        checkpoint=checkpoint,
        plate="鲁C11111",
        vehicle_kind="car",
        occupants=[{k: v for k, v in occupant().items() if k not in ("temperature", "outcome")}],
    )
    html = client_for(staff).get(url(checkpoint)).content.decode()
    assert prefill.code in html


@pytest.mark.parametrize("who", ["outsider", "other_town", "norole"])
def test_it_hides_the_checkpoint_from_others(client_for, users, checkpoint, who):
    assert client_for(getattr(users, who)).get(url(checkpoint)).status_code == 404


def test_it_hides_an_unassigned_checkpoint_from_checkpoint_staff(client_for, tree, staff):
    other = services.checkpoint_create(
        actor=None, area=tree.town, name="别处", level=2, kind="road"
    )
    assert client_for(staff).get(url(other)).status_code == 404
