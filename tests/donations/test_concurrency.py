"""Two donations registered at once get two numbers; two payments out of one donation at
once never exceed it (PostgreSQL: SQLite serialises every write, so there is no race)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from fangkong.donations import services
from fangkong.donations.models import Disbursement, Donation
from tests import factories
from tests.donations import helpers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (concurrent writers)"
    ),
]


def _race(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            barrier.wait()
            results.append(work(index))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_donations_registered_at_once_get_distinct_numbers():
    tree = factories.area_tree()
    staff = helpers.staff(tree)
    donor = helpers.enterprise(staff.district)
    results, errors = _race(
        6, lambda i: helpers.donation(staff.district, tree.county, donor, amount=i + 1).number
    )
    assert not errors
    assert len(set(results)) == 6
    assert sorted(Donation.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_payments_at_once_never_exceed_the_donation():
    tree = factories.area_tree()
    staff = helpers.staff(tree)
    donor = helpers.enterprise(staff.district)
    donation = helpers.donation(staff.district, tree.county, donor, amount=1000)

    def pay(_index):
        return services.disbursement_create(
            actor=staff.district,
            donation=donation,
            amount=Decimal(400),
            purpose="采购",
            paid_on=helpers.today(),
            approved_by="区指挥部",
        )

    results, errors = _race(4, pay)
    assert len(results) == 2
    assert len(errors) == 2 and all(isinstance(e, ValidationError) for e in errors)
    donation.refresh_from_db()
    assert donation.money_used == 800 == sum(d.amount for d in Disbursement.objects.all())
