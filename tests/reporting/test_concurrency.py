"""Two submissions of the same village and day at the same moment store one report
(PostgreSQL: SQLite serialises every write, so there is no race to lose)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from fangkong.reporting import services
from fangkong.reporting.models import DailyReport, Revision
from tests.reporting.helpers import zeros

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (concurrent writers)"
    ),
]


@pytest.mark.parametrize("zero", [False, True])
def test_concurrent_submissions_store_one_report(tree, users, zero):
    barrier = threading.Barrier(2)
    results, refused, errors = [], [], []

    def send():
        try:
            barrier.wait()
            if zero:
                report = services.report_zero_submit(
                    actor=users.village, area=tree.village, date=timezone.localdate()
                )
            else:
                report = services.report_submit(
                    actor=users.village,
                    area=tree.village,
                    date=timezone.localdate(),
                    values=zeros(),
                )
            results.append(report)
        except ValidationError as exc:
            refused.append(exc)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(results) == 1 and len(refused) == 1
    assert "date" in refused[0].message_dict
    assert DailyReport.objects.count() == 1 and Revision.objects.count() == 1
