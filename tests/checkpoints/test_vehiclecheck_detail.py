import pytest
from django.urls import reverse

from tests.checkpoints.conftest import occupant, register


def test_it_shows_the_vehicle_and_every_person(client_for, users, staff, checkpoint):
    vehicle = register(staff, checkpoint, occupant(name="甲"), occupant(name="乙"))
    response = client_for(users.town).get(
        reverse("checkpoints:vehiclecheck_detail", args=[vehicle.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200 and "甲" in html and "乙" in html
    assert "鲁C12345" in html and "湖北省武汉市武昌区" in html


@pytest.mark.parametrize("who", ["outsider", "other_town", "norole", "grid"])
def test_it_hides_the_vehicle_from_others(client_for, users, staff, checkpoint, who):
    vehicle = register(staff, checkpoint)
    url = reverse("checkpoints:vehiclecheck_detail", args=[vehicle.pk])
    assert client_for(getattr(users, who)).get(url).status_code == 404
