import pytest
from django.urls import reverse

from tests.checkpoints.conftest import register


def url(checkpoint):
    return reverse("checkpoints:checkpoint_edit", args=[checkpoint.pk])


def test_it_changes_a_checkpoint_and_keeps_the_shifts_by_name(
    client_for, users, tree, staff, checkpoint
):
    vehicle = register(staff, checkpoint)
    shift_id = vehicle.shift_id
    client = client_for(users.town)
    assert "白班 08:00-20:00" in client.get(url(checkpoint)).content.decode()
    response = client.post(
        url(checkpoint),
        {
            "name": "改名卡口",
            "level": "1",
            "kind": "highway_exit",
            "area": tree.town.code,
            "shifts": "白班 07:00-19:00\n夜班 19:00-07:00",
            "staff": [str(staff.pk)],
        },
    )
    assert response.status_code == 302
    checkpoint.refresh_from_db()
    assert checkpoint.name == "改名卡口" and not checkpoint.is_open
    vehicle.refresh_from_db()
    assert vehicle.shift_id == shift_id


@pytest.mark.parametrize("who", ["outsider", "other_town", "village", "norole"])
def test_it_refuses_others(client_for, users, tree, checkpoint, who):
    client = client_for(getattr(users, who))
    assert client.get(url(checkpoint)).status_code == 404
    assert client.post(url(checkpoint), {"name": "x"}).status_code == 404
    checkpoint.refresh_from_db()
    assert checkpoint.name == "辛店收费站卡口"
