"""Two clicks on "generate" at the same moment give one briefing with one number, and
briefings of different days generated at once get distinct numbers (PostgreSQL: SQLite
serialises every write, so there is no race to lose)."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from fangkong.briefings import services
from fangkong.briefings.models import Briefing

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (concurrent writers)"
    ),
]


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def test_it_numbers_one_briefing_for_concurrent_clicks(users, tree):
    today = timezone.localdate()

    def click():
        return services.briefing_generate(actor=users.command, area=tree.county, date=today)

    results = _race([click] * 4)
    assert len({briefing.pk for briefing, _created in results}) == 1
    assert sum(created for _briefing, created in results) == 1
    assert list(Briefing.objects.values_list("sequence", flat=True)) == [1]


def test_it_gives_concurrent_days_distinct_numbers(users, tree):
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in range(4)]

    def for_day(day):
        return lambda: services.briefing_generate(actor=users.command, area=tree.county, date=day)

    _race([for_day(day) for day in days])
    assert sorted(Briefing.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4]
