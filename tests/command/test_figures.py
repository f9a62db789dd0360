"""figures(): the one source of the command's figures, checked against the ledgers."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fangkong.checkpoints.models import Outcome, Registration, VehicleCheck
from fangkong.command.selectors import figures
from fangkong.isolation.models import Stay
from fangkong.ledger.models import KeyPerson, Push
from fangkong.monitoring.models import Alert, HealthLog
from tests.command.conftest import load


def _range(days=6):
    today = timezone.localdate()
    return today - datetime.timedelta(days=days), today


@pytest.mark.parametrize("code", ["370305", "370305003", "370305001"])
def test_it_agrees_with_the_ledgers(tree, users, scenario, code):
    date_from, today = _range()
    data = figures(area_code=code, date_from=date_from, date_to=today)
    vehicles = VehicleCheck.objects.within(code)
    persons = Registration.objects.within(code)
    assert data["today"]["vehicles"] == vehicles.filter(duty_date=today).count()
    assert data["today"]["persons"] == persons.filter(vehicle__duty_date=today).count()
    assert data["cumulative"]["persons"] == persons.filter(vehicle__duty_date__lte=today).count()
    assert data["cumulative"]["turned_back"] == persons.filter(outcome=Outcome.TURNED_BACK).count()
    assert sum(d["persons"] for d in data["trend"]) == (
        persons.filter(vehicle__duty_date__gte=date_from).count()
    )
    pushes = Push.objects.within(code)
    assert data["pushes"]["pending"] == pushes.filter(state=Push.State.PENDING).count()
    assert data["pushes"]["received"] == pushes.filter(state=Push.State.RECEIVED).count()
    assert data["cumulative"]["pushes"] == pushes.count()
    keypersons = KeyPerson.objects.within(code)
    assert data["ledger"]["managed"] == keypersons.filter(state=KeyPerson.State.MANAGED).count()
    assert data["cumulative"]["key_persons"] == keypersons.count()
    assert sum(data["ledger"]["by_category"].values()) == data["ledger"]["open"]
    alerts = Alert.objects.within(code)
    assert data["alerts"]["open"] == alerts.filter(state=Alert.State.OPEN).count()
    assert data["today"]["logs"] == HealthLog.objects.within(code).filter(date=today).count()
    occupied = Stay.objects.within(code).filter(checked_out_at__isnull=True).count()
    assert data["isolation"]["occupied"] == occupied
    # The breakdown adds up to the whole.
    assert sum(t["managed"] for t in data["by_town"]) == data["ledger"]["managed"]
    assert sum(t["pushes"] for t in data["by_town"]) == sum(d["pushes"] for d in data["trend"])
    assert data["supplies"]["available"] and data["donations"]["available"]
    assert data["enterprises"]["available"] is False


def test_it_breaks_a_town_down_by_its_villages_only(tree, users, scenario):
    date_from, today = _range()
    data = figures(area_code="370305003", date_from=date_from, date_to=today)
    codes = {t["code"] for t in data["by_town"]}
    assert {"370305003001", "370305003002"} <= codes
    assert all(c.startswith("370305003") for c in codes)
    assert all(p["area"].startswith("370305003") for p in data["checkpoints"])


def test_it_counts_a_day_in_the_past_by_that_day(tree, users, scenario):
    day = timezone.localdate() - datetime.timedelta(days=2)
    data = figures(area_code="370305", date_from=day, date_to=day)
    assert data["today"]["persons"] == (
        Registration.objects.within("370305").filter(vehicle__duty_date=day).count()
    )
    assert [d["date"] for d in data["trend"]] == [day]


def test_it_counts_nobody_missing_a_slot_that_has_not_opened(tree, users, scenario):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    managed = KeyPerson.objects.within("370305").filter(
        state=KeyPerson.State.MANAGED, period_start__lte=yesterday
    )
    assert managed.exists()
    past = figures(area_code="370305", date_from=yesterday, date_to=yesterday)
    assert (
        past["today"]["missing_logs_am"]
        == managed.count()
        - HealthLog.objects.filter(key_person__in=managed, date=yesterday, slot="am")
        .values("key_person")
        .distinct()
        .count()
    )
    # Tomorrow's slots open tomorrow: nobody has missed them yet.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    ahead = figures(area_code="370305", date_from=yesterday, date_to=tomorrow)
    assert ahead["today"]["missing_logs_am"] is None
    assert ahead["today"]["missing_logs_pm"] is None
    assert all(t["missing_logs"] == 0 for t in ahead["by_town"])


def _queries(code):
    date_from, today = _range(13)
    with CaptureQueriesContext(connection) as ctx:
        figures(area_code=code, date_from=date_from, date_to=today)
    return len(ctx.captured_queries)


def test_it_costs_the_same_queries_for_ten_times_the_data(tree, users):
    load(tree, per_day=3, days=3)
    small = _queries("370305")
    VehicleCheck.objects.all().delete()
    from fangkong.checkpoints.models import Checkpoint

    Checkpoint.objects.all().delete()
    load(tree, per_day=30, days=3)
    big = _queries("370305")
    assert Registration.objects.count() > 30
    assert small == big
    # 19 of the command's own, 9 of reporting.completeness (twice) and report_totals,
    # 5 of supplies and 4 of donations.
    assert big <= 37, big
    # Once aggregated, three more (the DailyFigure rows of the area, its children and its
    # checkpoints), whatever the number of days aggregated.
    from fangkong.command.services import figures_aggregate

    figures_aggregate()
    assert _queries("370305") == big + 3


@pytest.mark.parametrize(
    "kwargs",
    [
        {
            "area_code": "99",
            "date_from": datetime.date(2020, 2, 1),
            "date_to": datetime.date(2020, 2, 1),
        },
        {
            "area_code": "370305",
            "date_from": datetime.date(2020, 2, 2),
            "date_to": datetime.date(2020, 2, 1),
        },
        {
            "area_code": "370305",
            "date_from": datetime.date(2019, 1, 1),
            "date_to": datetime.date(2020, 2, 1),
        },
    ],
)
def test_it_refuses_bad_arguments(tree, kwargs):
    with pytest.raises(ValueError):
        figures(**kwargs)
