"""The supplies demo loads through the services: books balance, pages have data."""

import pytest

from fangkong.demo.supplies import demo_supplies_load
from fangkong.supplies import selectors
from fangkong.supplies.models import DailyIssue, Outbound, SupplyRequest, Warehouse
from tests.supplies import helpers

pytestmark = pytest.mark.django_db


def test_it_loads_two_weeks_of_supplies_once(tree, users):
    written = demo_supplies_load(seed=7)
    assert written > 20
    assert Warehouse.objects.count() == 3
    assert Outbound.objects.filter(kind="issue", unit_type="checkpoint").exists()
    assert DailyIssue.objects.values("day").distinct().count() >= 10
    assert SupplyRequest.objects.filter(status="submitted").count() >= 1
    helpers.assert_books_balance()
    reserve = Warehouse.objects.get(area=tree.county)
    rows = selectors.stock_rows(warehouse=reserve)
    assert any(row["days_of_cover"] is not None for row in rows)
    assert demo_supplies_load(seed=7) == 0
