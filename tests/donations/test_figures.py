"""The command's donation figures: counts, donors by kind, money and goods, in a fixed
number of queries."""

import datetime
from decimal import Decimal

from fangkong.donations import selectors, services
from tests.donations import helpers


def test_it_counts_the_figures_of_a_range_and_to_date(
    tree, staff, items, store, django_assert_num_queries
):
    today = helpers.today()
    earlier = today - datetime.timedelta(days=10)
    actor = staff.district
    firm = helpers.enterprise(actor)
    person = helpers.person(actor)
    old = helpers.donation(actor, tree.county, firm, amount="1000", received_on=earlier)
    helpers.donation(actor, tree.county, person, amount="200.50", lines=[(items.masks, 100, 150)])
    received = helpers.donation(actor, tree.town, firm, lines=[(items.rice, 5, 500)])
    services.donation_goods_receive(actor=actor, donation=received, warehouse=store)
    helpers.donation(actor, tree.other_town, person, amount="7")
    services.disbursement_create(
        actor=actor,
        donation=old,
        amount=Decimal("400"),
        purpose="采购",
        paid_on=today,
        approved_by="区指挥部",
    )
    with django_assert_num_queries(4):
        figures = selectors.command_figures(
            area_code=tree.county.code, date_from=today, date_to=today
        )
    assert figures == {
        "donations": 3,
        "donations_to_date": 4,
        "donors": {"enterprise": 1, "organisation": 0, "individual": 1},
        "donors_total": 2,
        "money_received": "207.50",
        "money_received_to_date": "1207.50",
        "money_used": "400.00",
        "money_used_to_date": "400.00",
        "money_balance": "807.50",
        "goods_value": "650.00",
        "goods_value_to_date": "650.00",
        "goods_items": 2,
        "goods_items_to_date": 2,
        "goods_lines_in_stock": 1,
    }
    town = selectors.command_figures(area_code=tree.town.code, date_from=earlier, date_to=today)
    assert town["donations"] == 1 and town["money_received_to_date"] == "0.00"
    assert town["donors"]["enterprise"] == 1 and town["goods_lines_in_stock"] == 1
    before = selectors.command_figures(
        area_code=tree.county.code, date_from=earlier, date_to=earlier
    )
    assert before["donations_to_date"] == 1 and before["money_used_to_date"] == "0.00"
