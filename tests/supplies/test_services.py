"""Stock services: good and bad input, the ledger, lots and thresholds."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.inbox.models import Notification
from fangkong.supplies import selectors, services
from fangkong.supplies.models import (
    DailyIssue,
    Inbound,
    Lot,
    LotUse,
    Movement,
    Outbound,
    Stock,
)
from tests.supplies import helpers

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(
        model.objects.count()
        for model in (Inbound, Outbound, Movement, Lot, LotUse, DailyIssue, Notification)
    )


def test_it_receives_a_purchase_into_stock_ledger_and_lot(district_store, items, keeper):
    mask = items["一次性口罩"]
    inbound = services.inbound_create(
        actor=keeper,
        warehouse=district_store,
        kind="purchase",
        supplier="淄博医药公司",
        invoice_no="No.0012",
        lines=[{"item": mask, "quantity": 5000, "unit_price": Decimal("0.85")}],
    )
    assert inbound.lines.get().unit_price == Decimal("0.85")
    assert helpers.on_hand(district_store, mask) == 5000
    movement = Movement.objects.get()
    assert (movement.kind, movement.quantity, movement.balance_after) == ("purchase", 5000, 5000)
    assert movement.actor == keeper and movement.document_id == inbound.pk
    lot = Lot.objects.get()
    assert (lot.received, lot.remaining, lot.origin_kind) == (5000, 5000, "purchase")
    helpers.assert_books_balance()


@pytest.mark.parametrize(
    ("quantity", "reason"),
    [
        (-5, "大于零"),
        (0, "大于零"),
        ("2.5", "按整"),
        ("abc", "请输入数字"),
        ("1.005", "两位小数"),
        (None, "请输入数字"),
    ],
)
def test_it_refuses_bad_quantities_and_writes_nothing(district_store, items, quantity, reason):
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        services.inbound_create(
            actor=None,
            warehouse=district_store,
            kind="purchase",
            supplier="某公司",
            lines=[
                {"item": items["N95口罩"], "quantity": 10},
                {"item": items["一次性口罩"], "quantity": quantity},
            ],
        )
    messages = caught.value.message_dict["lines"]
    assert len(messages) == 1 and "第2行" in messages[0] and reason in messages[0]
    assert _counts() == before


def test_it_takes_fractional_litres_of_alcohol(district_store, items):
    alcohol = items["医用酒精"]
    helpers.stock_in(district_store, alcohol, "12.5")
    helpers.issue(district_store, district_store.area, alcohol, "0.75", unit_type="other")
    assert helpers.on_hand(district_store, alcohol) == Decimal("11.75")


def test_it_requires_a_supplier_for_purchases_and_a_body_for_allocations(district_store, items):
    line = [{"item": items["防护服"], "quantity": 10}]
    with pytest.raises(ValidationError) as caught:
        services.inbound_create(actor=None, warehouse=district_store, kind="purchase", lines=line)
    assert "supplier" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.inbound_create(actor=None, warehouse=district_store, kind="allocation", lines=line)
    assert "下拨单位" in caught.value.message_dict["supplier"][0]
    with pytest.raises(ValidationError) as caught:
        services.inbound_create(actor=None, warehouse=district_store, kind="gift", lines=line)
    assert "kind" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.inbound_create(
            actor=None, warehouse=district_store, kind="purchase", supplier="x", lines=[]
        )
    assert "lines" in caught.value.message_dict
    assert Inbound.objects.count() == 0


def test_it_refuses_a_warehouse_outside_the_actors_scope(town_store, items, users):
    with pytest.raises(ValidationError) as caught:
        services.inbound_create(
            actor=users.other_town,
            warehouse=town_store,
            kind="donation",
            lines=[{"item": items["护目镜"], "quantity": 5}],
        )
    assert "warehouse" in caught.value.message_dict
    assert Inbound.objects.count() == 0


def test_it_refuses_to_issue_more_than_on_hand_and_writes_nothing(district_store, items, tree):
    mask, n95 = items["一次性口罩"], items["N95口罩"]
    helpers.stock_in(district_store, mask, 100)
    helpers.stock_in(district_store, n95, 10)
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        services.issue_create(
            actor=None,
            warehouse=district_store,
            recipient_area=tree.village,
            unit_name="太公社区",
            unit_type="village",
            lines=[{"item": mask, "quantity": 50}, {"item": n95, "quantity": 11}],
        )
    message = caught.value.message_dict["lines"][0]
    assert "N95口罩" in message and "10" in message and "11" in message
    assert _counts() == before
    assert helpers.on_hand(district_store, mask) == 100
    assert helpers.on_hand(district_store, n95) == 10


def test_it_issues_to_a_unit_and_counts_the_day(district_store, items, tree, keeper):
    mask = items["一次性口罩"]
    helpers.stock_in(district_store, mask, 1000)
    outbound = helpers.issue(district_store, tree.village, mask, 300, actor=keeper)
    helpers.issue(district_store, tree.village2, mask, 200)
    assert outbound.number.startswith("CK")
    assert helpers.on_hand(district_store, mask) == 500
    daily = DailyIssue.objects.get()
    assert (daily.day, daily.quantity) == (timezone.localdate(), 500)
    balances = list(Movement.objects.order_by("id").values_list("balance_after", flat=True))
    assert balances == [1000, 700, 500]
    helpers.assert_books_balance()


def test_it_refuses_a_unit_outside_the_warehouse_area(town_store, items, tree):
    mask = items["一次性口罩"]
    helpers.stock_in(town_store, mask, 10)
    with pytest.raises(ValidationError) as caught:
        helpers.issue(town_store, tree.other_village, mask, 1)
    assert "recipient_area" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        helpers.issue(town_store, tree.village, mask, 1, unit_type="spaceship")
    assert "unit_type" in caught.value.message_dict


def test_it_refuses_a_future_date(district_store, items):
    with pytest.raises(ValidationError) as caught:
        helpers.stock_in(
            district_store,
            items["护目镜"],
            1,
            day=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert "day" in caught.value.message_dict


def test_it_consumes_lots_first_in_first_out(district_store, items, tree):
    mask = items["一次性口罩"]
    first = helpers.stock_in(district_store, mask, 100)
    second = helpers.stock_in(
        district_store, mask, 50, kind="donation", source_type="donation", source_id="7"
    )
    outbound = helpers.issue(district_store, tree.village, mask, 120)
    uses = {
        use.lot.inbound_line.inbound_id: use.quantity
        for use in LotUse.objects.select_related("lot__inbound_line")
    }
    assert uses == {first.pk: 100, second.pk: 20}
    trace = selectors.lot_trace(outbound=outbound)
    assert [(row["origin_kind"], row["quantity"]) for row in trace] == [
        ("purchase", 100),
        ("donation", 20),
    ]
    helpers.assert_books_balance()


def test_it_traces_donated_goods_through_a_transfer(district_store, town_store, items, tree):
    mask, n95 = items["一次性口罩"], items["N95口罩"]
    helpers.stock_in(district_store, mask, 30)
    services.inbound_create(
        actor=None,
        warehouse=district_store,
        kind="donation",
        source_type="donation",
        source_id="41",
        lines=[
            {"item": mask, "quantity": 100, "source_line": "91"},
            {"item": n95, "quantity": 40, "source_line": "92"},
        ],
    )
    # 30 purchased masks go first; then 70 of the donated travel to the town.
    services.transfer_create(
        actor=None,
        warehouse=district_store,
        to_warehouse=town_store,
        lines=[{"item": mask, "quantity": 100}],
    )
    helpers.issue(town_store, tree.village, mask, 60)
    helpers.issue(town_store, tree.village2, mask, 40)
    helpers.issue(district_store, tree.village, n95, 15, unit_type="checkpoint", unit_name="卡口")
    rows = selectors.donated_destinations(source_type="donation", source_ids=["41"])
    got = {(r["source_line"], r["destination_area_id"]): r["issued"] for r in rows}
    # The town issued its oldest lot (the 30 purchased) first: 60 = 30 purchased + 30 donated.
    assert got == {
        ("91", tree.village.code): 30,
        ("91", tree.village2.code): 40,
        ("92", tree.village.code): 15,
    }
    row = next(r for r in rows if r["source_line"] == "92")
    assert row["received"] == 40 and row["unit"] == "个" and row["unit_type"] == "checkpoint"
    assert set(row) == {
        "source_id",
        "source_line",
        "item_id",
        "item_name",
        "unit",
        "received",
        "issued",
        "destination_area_id",
        "destination_name",
        "unit_type",
    }
    assert selectors.donated_destinations(source_type="donation", source_ids=["999"]) == []
    helpers.assert_books_balance()


def test_it_transfers_in_one_transaction_or_not_at_all(district_store, town_store, items):
    mask = items["一次性口罩"]
    helpers.stock_in(district_store, mask, 10)
    with pytest.raises(ValidationError):
        services.transfer_create(
            actor=None,
            warehouse=district_store,
            to_warehouse=town_store,
            lines=[{"item": mask, "quantity": 11}],
        )
    with pytest.raises(ValidationError) as caught:
        services.transfer_create(
            actor=None,
            warehouse=district_store,
            to_warehouse=district_store,
            lines=[{"item": mask, "quantity": 1}],
        )
    assert "to_warehouse" in caught.value.message_dict
    assert helpers.on_hand(town_store, mask) == 0
    assert Outbound.objects.count() == 0
    outbound = services.transfer_create(
        actor=None,
        warehouse=district_store,
        to_warehouse=town_store,
        lines=[{"item": mask, "quantity": 4}],
    )
    assert outbound.number.startswith("DB")
    assert (helpers.on_hand(district_store, mask), helpers.on_hand(town_store, mask)) == (6, 4)
    kinds = sorted(Movement.objects.values_list("kind", flat=True))
    assert kinds == ["purchase", "transfer_in", "transfer_out"]
    assert not DailyIssue.objects.exists()
    helpers.assert_books_balance()


def test_it_adjusts_a_stocktake_with_a_reason(district_store, items, keeper):
    gloves = items["医用手套"]
    helpers.stock_in(district_store, gloves, 100)
    with pytest.raises(ValidationError) as caught:
        services.adjustment_create(
            actor=keeper, warehouse=district_store, item=gloves, counted=97, reason=" "
        )
    assert "reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.adjustment_create(
            actor=keeper, warehouse=district_store, item=gloves, counted=100, reason="盘点"
        )
    assert "counted" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.adjustment_create(
            actor=keeper, warehouse=district_store, item=gloves, counted=-1, reason="盘点"
        )
    assert "counted" in caught.value.message_dict
    down = services.adjustment_create(
        actor=keeper, warehouse=district_store, item=gloves, counted=97, reason="破损3副"
    )
    assert down.quantity == -3
    services.adjustment_create(
        actor=keeper, warehouse=district_store, item=gloves, counted=99, reason="复盘找到"
    )
    assert helpers.on_hand(district_store, gloves) == 99
    assert Movement.objects.filter(kind="adjustment").count() == 2
    helpers.assert_books_balance()


def test_it_notifies_once_per_crossing_below_the_threshold(district_store, items, tree, keeper):
    mask = items["一次性口罩"]
    helpers.stock_in(district_store, mask, 100)
    services.threshold_set(actor=keeper, warehouse=district_store, item=mask, threshold=50)
    low = Notification.objects.filter(target_type="supply_warehouse")
    assert not low.exists()
    helpers.issue(district_store, tree.village, mask, 40)
    assert not low.exists()
    helpers.issue(district_store, tree.village, mask, 20)
    assert list(low.values_list("user_id", flat=True)) == [keeper.pk]
    # Its own kind, so a channel can forward low stock to the warehouse's group alone.
    assert low.get().kind == "low_stock"
    helpers.issue(district_store, tree.village, mask, 5)
    assert low.count() == 1
    helpers.stock_in(district_store, mask, 100)
    assert not Stock.objects.get(item=mask).low
    helpers.issue(district_store, tree.village, mask, 100)
    assert low.count() == 2


def test_it_refuses_a_bad_threshold(district_store, items, keeper):
    with pytest.raises(ValidationError) as caught:
        services.threshold_set(
            actor=keeper, warehouse=district_store, item=items["N95口罩"], threshold="1.5"
        )
    assert "low_threshold" in caught.value.message_dict


def test_it_records_the_receipt_and_the_units_confirmation(district_store, items, tree, users):
    mask = items["一次性口罩"]
    helpers.stock_in(district_store, mask, 10)
    outbound = helpers.issue(district_store, tree.village, mask, 5)
    with pytest.raises(ValidationError):
        services.outbound_sign(actor=None, outbound=outbound, receiver_name="")
    services.outbound_sign(actor=None, outbound=outbound, receiver_name="王五")
    with pytest.raises(ValidationError):
        services.outbound_confirm(actor=users.other_town, outbound=outbound)
    services.outbound_confirm(actor=users.village, outbound=outbound)
    outbound.refresh_from_db()
    assert outbound.receiver_name == "王五" and outbound.confirmed_by == users.village
    with pytest.raises(ValidationError) as caught:
        services.outbound_confirm(actor=users.village, outbound=outbound)
    assert "confirmed_at" in caught.value.message_dict


def test_it_keeps_the_catalogue_district_wide(items, users, keeper):
    category = items["N95口罩"].category
    with pytest.raises(ValidationError):
        services.item_create(actor=users.town, category=category, name="面罩", unit="个")
    item = services.item_create(
        actor=keeper, category=category, name="面罩", unit="个", specification="全面型"
    )
    with pytest.raises(ValidationError):
        services.item_create(
            actor=keeper, category=category, name="面罩", unit="个", specification="全面型"
        )
    services.item_update(actor=keeper, item=item, active=False)
    assert item not in selectors.item_choices()
    assert items["N95口罩"] in selectors.item_choices()


def test_it_stock_rows_show_consumption_and_days_of_cover(district_store, items, tree):
    mask, gloves = items["一次性口罩"], items["医用手套"]
    today = timezone.localdate()
    helpers.stock_in(district_store, mask, 1000, day=today - datetime.timedelta(days=10))
    helpers.stock_in(district_store, gloves, 5)
    # 140 in the last seven days (20 a day), 100 eight days ago (outside the window).
    helpers.issue(district_store, tree.village, mask, 100, day=today - datetime.timedelta(days=8))
    helpers.issue(district_store, tree.village, mask, 70, day=today - datetime.timedelta(days=6))
    helpers.issue(district_store, tree.village, mask, 70, day=today)
    rows = {row["item"].name: row for row in selectors.stock_rows(warehouse=district_store)}
    assert rows["一次性口罩"]["on_hand"] == 760
    assert rows["一次性口罩"]["issued_7d"] == 140
    assert rows["一次性口罩"]["daily"] == 20
    assert rows["一次性口罩"]["days_of_cover"] == 38
    assert rows["医用手套"]["days_of_cover"] is None
