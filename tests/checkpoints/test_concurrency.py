"""Two phones sending the same registration at the same moment store it once (PostgreSQL:
SQLite serialises every write, so there is no race to lose)."""

import threading

import pytest
from django.db import connection, connections

from fangkong.checkpoints.models import Registration, VehicleCheck
from fangkong.ledger.models import Push
from tests.checkpoints.conftest import occupant, register

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (concurrent writers)"
    ),
]


def test_it_stores_a_concurrent_retry_once(staff, checkpoint):
    people = [occupant(), occupant(temperature="38.3")]
    barrier = threading.Barrier(4)
    results, errors = [], []

    def send():
        try:
            barrier.wait()
            results.append(register(staff, checkpoint, *people, idempotency_key="same-key"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len({vehicle.pk for vehicle in results}) == 1
    assert sum(vehicle.created for vehicle in results) == 1
    assert VehicleCheck.objects.count() == 1 and Registration.objects.count() == 2
    assert Push.objects.count() == 1
