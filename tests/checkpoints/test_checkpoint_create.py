import pytest
from django.urls import reverse

from fangkong.checkpoints.models import Checkpoint
from tests import factories

URL = reverse("checkpoints:checkpoint_create")


def data(tree, **values):
    base = {
        "name": "新卡口",
        "level": "2",
        "kind": "road",
        "area": tree.village.code,
        "location": "路口",
        "is_open": "on",
        "shifts": "白班 08:00-20:00\n夜班 20:00-08:00",
    }
    base.update(values)
    return base


def test_it_sets_up_a_checkpoint_with_shifts_and_staff(client_for, users, tree):
    guard = factories.user("guard", tree.village, "checkpoint_staff")
    response = client_for(users.town).post(URL, data(tree, staff=[str(guard.pk)]))
    assert response.status_code == 302
    checkpoint = Checkpoint.objects.get()
    assert [s.name for s in checkpoint.shifts.all()] == ["白班", "夜班"]
    assert list(checkpoint.staff.all()) == [guard]


@pytest.mark.parametrize(
    "values",
    [
        {"shifts": "白班 8点到20点"},
        {"shifts": "白班 08:00-08:00"},
        {"area": "370305001001"},
        {"area": "370305"},
        {"name": ""},
    ],
)
def test_it_refuses_bad_input(client_for, users, tree, values):
    response = client_for(users.town).post(URL, data(tree, **values))
    assert response.status_code == 400
    assert not Checkpoint.objects.exists()


def test_it_refuses_staff_who_do_not_work_there(client_for, users, tree):
    guard = factories.user("guard", tree.village2, "checkpoint_staff")
    response = client_for(users.town).post(URL, data(tree, staff=[str(guard.pk)]))
    assert response.status_code == 400 and not Checkpoint.objects.exists()


@pytest.mark.parametrize("who", ["village", "grid", "norole", "command"])
def test_it_is_for_managers_only(client_for, users, tree, who):
    client = client_for(getattr(users, who))
    assert client.get(URL).status_code == 404
    assert client.post(URL, data(tree)).status_code == 404
    assert not Checkpoint.objects.exists()
