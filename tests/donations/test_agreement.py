"""One scenario, five readings: the supplies movement ledger, on hand, the dashboard's figures
(and `fangkong stats --json`), the briefing and the public disclosure page give the same
figures for the same scope (issue 5, must hold)."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fangkong.briefings import content
from fangkong.command.selectors import figures
from fangkong.donations import selectors as donation_selectors
from fangkong.donations.models import Donation
from fangkong.supplies.models import Inbound, Item, Movement, Stock
from tests.briefings.conftest import generate
from tests.donations.test_public import ledger  # noqa: F401 - the shared scenario
from tests.supplies import helpers as supply_helpers


@pytest.fixture
def scene(tree, staff, items, store, town_store, ledger):  # noqa: F811
    """The public page's donations, plus purchases and issues at the town's own store."""
    supply_helpers.stock_in(town_store, items.masks, 800)
    supply_helpers.issue(town_store, tree.village2, items.masks, 250)
    return ledger


def _by_item(queryset) -> dict[str, Decimal]:
    rows = queryset.values("item__name").annotate(q=Sum("quantity")).order_by()
    return {row["item__name"]: row["q"] for row in rows}


@pytest.mark.parametrize("area", ["county", "town"])
def test_every_reading_agrees(tree, users, scene, area):
    area = getattr(tree, area)
    today = timezone.localdate()
    supply_helpers.assert_books_balance()
    movements = Movement.objects.filter(warehouse__area__code__startswith=area.code)
    ledger_on_hand = _by_item(movements)
    stock = {
        row["item__name"]: row["q"]
        for row in Stock.objects.filter(warehouse__area__code__startswith=area.code)
        .values("item__name")
        .annotate(q=Sum("on_hand"))
        .order_by()
    }
    assert {k: v for k, v in ledger_on_hand.items() if v} == {k: v for k, v in stock.items() if v}
    issued = {name: -q for name, q in _by_item(movements.filter(kind="issue")).items()}
    assert issued

    data = figures(area_code=area.code, date_from=today, date_to=today)
    supplies = data["supplies"]
    dashboard_on_hand = {
        row["item"]: Decimal(str(row["on_hand"]))
        for group in supplies["on_hand"]
        for row in group["items"]
        if row["on_hand"]
    }
    assert dashboard_on_hand == {k: v for k, v in stock.items() if v}
    assert {row["item"]: Decimal(str(row["to_date"])) for row in supplies["issued"]} == issued

    printed = json.loads(_stats(area.code, today))
    assert printed["supplies"] == json.loads(json.dumps(supplies))
    assert printed["donations"] == json.loads(json.dumps(data["donations"]))

    briefing = generate(users.command, area, today)
    text = {s["key"]: s["text"] for s in briefing.sections}["supplies"]
    units = dict(Item.objects.values_list("name", "unit"))
    for name, quantity in issued.items():
        assert f"{name}{content.number(quantity)}{units[name]}" in text
    donations = data["donations"]
    assert f"捐款{content.number(donations['money_received_to_date'])}元" in text

    public = donation_selectors.public_disclosure(area)
    assert public["money"]["received"] == Decimal(donations["money_received_to_date"])
    assert public["money"]["used"] == Decimal(donations["money_used_to_date"])
    assert public["goods"]["value"] == Decimal(donations["goods_value_to_date"])
    # Goods count where they were donated (a town's donation may be stored at the district):
    # the donation inbound movements of this scope's donations.
    inbounds = Inbound.objects.filter(
        source_type="donations.donation",
        source_id__in=[
            str(pk) for pk in Donation.objects.within(area).values_list("pk", flat=True)
        ],
    ).values_list("pk", flat=True)
    donated_in = _by_item(
        Movement.objects.filter(kind="donation", document_type="inbound", document_id__in=inbounds)
    )
    assert {row["name"]: row["quantity"] for row in public["goods"]["items"]} == donated_in
    page = Client().get(reverse("donations:public", kwargs={"district_code": area.code}))
    assert page.status_code == 200
    assert f'data-total="received">{public["money"]["received"]:,.2f}<' in page.content.decode()


def _stats(code, day) -> str:
    out = StringIO()
    call_command(
        "stats",
        "--date",
        day.isoformat(),
        "--area",
        code,
        "--json",
        "--user",
        "command",
        stdout=out,
    )
    return out.getvalue()
