"""Fifty storekeepers issuing the last units of one item at the same moment (PostgreSQL:
SQLite serialises every write, so there is no race to lose)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from fangkong.supplies import services
from fangkong.supplies.models import DailyIssue, Movement, Outbound, Stock
from tests.supplies import helpers

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


def test_it_issues_the_last_units_exactly_once_under_concurrency(tree):
    items = helpers.catalogue()
    mask, n95 = items["一次性口罩"], items["N95口罩"]
    store = helpers.warehouse(tree.county)
    helpers.stock_in(store, mask, 20)
    helpers.stock_in(store, n95, 100)
    villages = [tree.village, tree.village2]

    def issue(index):
        # Two items per document, in both orders, so lock order matters too.
        lines = [{"item": mask, "quantity": 1}, {"item": n95, "quantity": 1}]
        return services.issue_create(
            actor=None,
            warehouse=store,
            recipient_area=villages[index % 2],
            unit_name="社区",
            unit_type="village",
            lines=lines if index % 2 else lines[::-1],
        )

    results, errors = _race(50, issue)
    assert len(results) == 20, errors
    assert len(errors) == 30
    for error in errors:
        assert isinstance(error, ValidationError), error
        assert "一次性口罩" in error.message_dict["lines"][0]
    stock = Stock.objects.get(warehouse=store, item=mask)
    assert stock.on_hand == 0
    assert Stock.objects.get(warehouse=store, item=n95).on_hand == 80
    assert Outbound.objects.count() == 20
    assert Movement.objects.filter(kind="issue", item=mask).count() == 20
    assert DailyIssue.objects.get(item=mask).quantity == Decimal(20)
    assert DailyIssue.objects.get(item=n95).quantity == Decimal(20)
    helpers.assert_books_balance()


def test_it_creates_one_stock_row_for_concurrent_first_receipts(tree):
    items = helpers.catalogue()
    store = helpers.warehouse(tree.county)
    results, errors = _race(8, lambda i: helpers.stock_in(store, items["防护服"], 5))
    assert not errors, errors
    assert Stock.objects.get(warehouse=store, item=items["防护服"]).on_hand == 40
    helpers.assert_books_balance()
