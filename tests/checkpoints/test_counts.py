import datetime

from django.urls import reverse
from django.utils import timezone

from fangkong.checkpoints import services
from tests.checkpoints.conftest import occupant, register

URL = reverse("checkpoints:counts")


def at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_it_counts_per_checkpoint_shift_and_day(client_for, users, tree, staff, checkpoint):
    # Two days back, so the night shift's hours after midnight are past at any hour.
    day = timezone.localdate() - datetime.timedelta(days=2)
    # Day shift: a car of three with a fever and one pushed, a car turned back.
    register(
        staff,
        checkpoint,
        occupant(),
        occupant(temperature="38.0"),
        occupant(origin="山东省淄博市临淄区"),
        checked_at=at(day, 10),
    )
    register(
        staff,
        checkpoint,
        occupant(outcome="turned_back"),
        occupant(outcome="turned_back"),
        checked_at=at(day, 11),
        plate="鲁C22222",
    )
    # Night shift, after midnight: counts to `day`.
    register(
        staff,
        checkpoint,
        occupant(outcome="centralized"),
        checked_at=at(day + datetime.timedelta(days=1), 2),
        plate="鲁C33333",
    )
    other = services.checkpoint_create(
        actor=None, area=tree.village, name="村口", level=3, kind="village_entrance"
    )
    register(users.town, other, occupant(outcome="turned_back"), checked_at=at(day, 9))
    response = client_for(users.town).get(
        URL, {"date_from": day.isoformat(), "date_to": day.isoformat()}
    )
    rows = {
        (r["checkpoint"].name, r["shift"].name if r["shift"] else ""): r
        for r in response.context["rows"]
    }
    day_shift = rows[("辛店收费站卡口", "白班")]
    assert (day_shift["vehicles"], day_shift["persons"]) == (2, 5)
    assert (day_shift["vehicles_back"], day_shift["persons_back"]) == (1, 2)
    assert (day_shift["fever"], day_shift["pushes"]) == (1, 1)
    night = rows[("辛店收费站卡口", "夜班")]
    assert (night["vehicles"], night["centralized"]) == (1, 1)
    village = rows[("村口", "")]
    assert (village["vehicles_back"], village["persons_back"]) == (1, 1)
    totals = response.context["totals"]
    assert (totals["vehicles"], totals["persons"]) == (4, 7)
    staff_rows = client_for(staff).get(URL, {"date_from": day.isoformat()}).context["rows"]
    assert {r["checkpoint"].name for r in staff_rows} == {"辛店收费站卡口"}


def test_it_refuses_a_range_too_long(client_for, users):
    response = client_for(users.town).get(URL, {"date_from": "2020-01-01", "date_to": "2020-06-01"})
    assert response.status_code == 200 and response.context["form"].errors


def test_it_costs_the_same_for_many_registrations(
    client_for, users, staff, checkpoint, django_assert_max_num_queries
):
    client = client_for(users.town)
    # A day shift of yesterday: the same duty day whatever the hour the test runs.
    day = timezone.localdate() - datetime.timedelta(days=1)
    query = {"date_from": day.isoformat(), "date_to": day.isoformat()}
    register(staff, checkpoint, checked_at=at(day, 9))
    client.get(URL, query)
    with django_assert_max_num_queries(12):
        client.get(URL, query)
    for minute in range(10):
        register(
            staff,
            checkpoint,
            occupant(),
            occupant(),
            checked_at=at(day, 10) + datetime.timedelta(minutes=minute),
        )
    with django_assert_max_num_queries(12):
        assert client.get(URL, query).context["totals"]["persons"] == 21


def test_it_is_hidden_without_the_role(client_for, users):
    assert client_for(users.norole).get(URL).status_code == 404
