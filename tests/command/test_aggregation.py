"""figures_aggregate(): closed days read from DailyFigure give exactly the live figures."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from fangkong.checkpoints.models import VehicleCheck
from fangkong.command.models import Aggregation, DailyFigure
from fangkong.command.selectors import figures
from fangkong.command.services import figures_aggregate
from tests.command.conftest import load


def _without_clock(data):
    return {k: v for k, v in data.items() if k != "generated_at"}


def _all(code, date_from, date_to):
    return _without_clock(figures(area_code=code, date_from=date_from, date_to=date_to))


def _age(days: int):
    # The loop writes every row now; settle them as if recorded on their own day.
    now = timezone.now()
    VehicleCheck.objects.update(created_at=now - datetime.timedelta(days=days))
    from fangkong.ledger.models import Push

    Push.objects.update(created_at=now - datetime.timedelta(days=days))


@pytest.mark.parametrize("code", ["370305", "370305003", "370305003001"])
def test_it_gives_the_live_figures_from_aggregated_days(tree, users, code):
    load(tree, per_day=4, days=5)
    _age(1)
    today = timezone.localdate()
    ranges = [(today - datetime.timedelta(days=n), today) for n in (0, 3, 6)]
    ranges.append((today - datetime.timedelta(days=4), today - datetime.timedelta(days=2)))
    live = [_all(code, *r) for r in ranges]
    written = figures_aggregate()
    assert sum(written.values()) > 0
    assert DailyFigure.objects.exists()
    assert [_all(code, *r) for r in ranges] == live


def test_it_counts_late_rows_once_and_runs_again_without_change(tree, users, monkeypatch):
    monkeypatch.setattr("fangkong.command.services.SETTLE_MARGIN", datetime.timedelta(0))
    load(tree, per_day=3, days=4)
    _age(2)
    today = timezone.localdate()
    span = (today - datetime.timedelta(days=5), today)
    figures_aggregate(date=today - datetime.timedelta(days=2))
    before = _all("370305", *span)
    # A vehicle of a closed day recorded now (an offline phone syncing): counted live.
    vehicle = VehicleCheck.objects.order_by("pk").first()
    vehicle.pk = None
    vehicle.save()
    after = _all("370305", *span)
    assert after["cumulative"]["vehicles"] == before["cumulative"]["vehicles"] + 1
    # The next runs settle it once; running again changes nothing.
    figures_aggregate()
    assert DailyFigure.objects.filter(area_id="370305", key="vehicles").count()
    figures_aggregate()
    assert _all("370305", *span) == after
    aggregation = Aggregation.objects.get()
    assert aggregation.through == today - datetime.timedelta(days=1)
    figures_aggregate(rebuild=True)
    assert _all("370305", *span) == after


def test_it_refuses_today_and_unknown_areas(tree):
    with pytest.raises(ValidationError):
        figures_aggregate(date=timezone.localdate())
    with pytest.raises(ValidationError):
        figures_aggregate(area_code="370399")
    assert not DailyFigure.objects.exists()


def test_it_refuses_a_nested_aggregation(tree):
    figures_aggregate(area_code="370305")
    with pytest.raises(ValidationError):
        figures_aggregate(area_code="370305003")


def test_it_runs_as_a_command(tree, capsys):
    call_command("figures_aggregate")
    assert Aggregation.objects.filter(area_id="37").exists()
