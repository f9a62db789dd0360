"""The command's supplies figures: issued, on hand, below threshold, days of cover, pending
requests, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from fangkong.supplies import selectors, services
from tests.supplies import helpers

pytestmark = pytest.mark.django_db


def _build(tree, items, town_store, district_store, users, days_back=0):
    today = timezone.localdate()
    mask, n95 = items["一次性口罩"], items["N95口罩"]
    helpers.stock_in(district_store, mask, 200000, day=today - datetime.timedelta(days=20))
    helpers.stock_in(town_store, n95, 8000, day=today - datetime.timedelta(days=20))
    helpers.issue(district_store, tree.village, mask, 70000, day=today - datetime.timedelta(days=9))
    helpers.issue(district_store, tree.village, mask, 7894, day=today - datetime.timedelta(days=1))
    helpers.issue(town_store, tree.village2, n95, 5954, day=today)
    services.threshold_set(actor=None, warehouse=town_store, item=n95, threshold=3000)
    services.request_create(
        actor=users.village,
        unit_type="village",
        purpose="x",
        lines=[{"item": mask, "quantity": 1}],
    )


def test_it_sums_the_districts_supplies(tree, items, town_store, district_store, users):
    _build(tree, items, town_store, district_store, users)
    today = timezone.localdate()
    figures = selectors.command_figures(
        area_code=tree.county.code, date_from=today - datetime.timedelta(days=30), date_to=today
    )
    assert figures["issued_phrase"] == "一次性口罩 77 894 个、N95口罩 5 954 个"
    issued = {row["item"]: row for row in figures["issued"]}
    assert issued["一次性口罩"]["to_date"] == 77894
    on_hand = {e["item"]: e["on_hand"] for group in figures["on_hand"] for e in group["items"]}
    assert on_hand == {"一次性口罩": 122106, "N95口罩": 2046}
    assert [row["item"] for row in figures["below_threshold"]] == ["N95口罩"]
    lowest = figures["lowest_cover"][0]
    assert lowest["item"] == "N95口罩" and lowest["days_of_cover"] == Decimal("2.4")
    assert figures["requests_pending"] == 1
    # The last two days only.
    recent = selectors.command_figures(
        area_code=tree.county.code, date_from=today - datetime.timedelta(days=1), date_to=today
    )
    assert {r["item"]: r["in_range"] for r in recent["issued"]} == {
        "一次性口罩": 7894,
        "N95口罩": 5954,
    }
    town = selectors.command_figures(area_code=tree.town.code, date_from=today, date_to=today)
    assert [r["item"] for r in town["issued"]] == ["N95口罩"]
    assert town["requests_pending"] == 1
    other = selectors.command_figures(
        area_code=tree.other_town.code, date_from=today, date_to=today
    )
    assert other["issued"] == [] and other["requests_pending"] == 0


def test_it_answers_in_a_fixed_number_of_queries(
    tree, items, town_store, district_store, users, django_assert_num_queries
):
    today = timezone.localdate()
    with django_assert_num_queries(5):
        selectors.command_figures(area_code=tree.county.code, date_from=today, date_to=today)
    _build(tree, items, town_store, district_store, users)
    for item in list(items.values())[2:10]:
        helpers.stock_in(district_store, item, 10)
        helpers.issue(district_store, tree.village, item, 1)
    with django_assert_num_queries(5):
        selectors.command_figures(area_code=tree.county.code, date_from=today, date_to=today)
