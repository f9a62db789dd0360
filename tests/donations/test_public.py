"""The public disclosure (捐赠公示): no login, no personal data, and figures that add up to
the internal ledger and to the supplies movement ledger."""

import io
import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from python_calamine import CalamineWorkbook

from fangkong.donations import selectors, services
from fangkong.donations.models import Disbursement, Donation, DonationLine
from fangkong.supplies.models import Movement
from tests.donations import helpers

SECRETS = [
    "张三丰",  # an individual who did not consent
    "隐名实业有限公司",  # an anonymous enterprise
    "王五",  # an anonymous individual
    "王经理",  # a contact person
    "13905330001",
    "139****0001",
    "13805330002",
    "138****0002",
    "13705330003",
    helpers.CREDIT2,  # an anonymous organisation's credit code
    "淄博市临淄区某街道1号",  # an address
]


@pytest.fixture
def ledger(tree, staff, items, store):
    """Donations of every kind of donor to the district and a town, goods received and
    partly issued to villages, money partly used."""
    actor = staff.district
    firm = helpers.enterprise(actor, address="淄博市临淄区某街道1号")
    hidden_firm = helpers.enterprise(
        actor, "隐名实业有限公司", credit_code=helpers.CREDIT2, anonymous=True, phone=""
    )
    person = helpers.person(actor)  # 张三丰, no consent
    consenting = helpers.person(actor, "李四", disclose_name=True, phone="")
    anonymous = helpers.person(actor, "王五", anonymous=True, phone="13705330003")
    d1 = helpers.donation(
        actor,
        tree.county,
        firm,
        amount="100000",
        channel="bank",
        lines=[(items.masks, 5000, 7500), (items.alcohol, "20.5", 410)],
    )
    d2 = helpers.donation(
        actor,
        tree.county,
        hidden_firm,
        amount="50000",
        channel="red_cross",
        designation="designated",
        purpose="购买防护物资",
    )
    d3 = helpers.donation(actor, tree.county, person, amount="500.50", channel="wechat")
    d4 = helpers.donation(actor, tree.town, consenting, lines=[(items.rice, 30, 3000)])
    d5 = helpers.donation(
        actor,
        tree.county,
        anonymous,
        amount="1000",
        channel="alipay",
        lines=[(items.masks, 1000, 1500)],
    )
    for donation in (d1, d4, d5):
        services.donation_goods_receive(actor=actor, donation=donation, warehouse=store)
    helpers.issue(store, tree.village, items.masks, 3000, unit_name="太公社区")
    helpers.issue(store, tree.village2, items.masks, 2500, unit_name="乙烯社区")
    helpers.issue(store, tree.village, items.rice, 10, unit_name="太公社区")
    services.disbursement_create(
        actor=actor,
        donation=d1,
        amount=Decimal("30000"),
        purpose="采购测温枪",
        paid_on=helpers.today(),
        approved_by="区指挥部李主任",
    )
    return [d1, d2, d3, d4, d5]


def _public(code="370305", suffix=""):
    name = "donations:public_export" if suffix else "donations:public"
    return reverse(name, kwargs={"district_code": code})


def test_it_shows_the_disclosure_without_login(client, ledger):
    response = client.get(_public())
    assert response.status_code == 200
    body = response.content.decode()
    for donation in ledger:
        assert donation.number in body
    assert "淄博齐鲁医药有限公司" in body  # an enterprise by name
    assert "李四" in body  # an individual who consented
    assert "张**" in body  # one who did not
    assert body.count("爱心人士") >= 2
    assert "太公社区" in body and "乙烯社区" in body
    assert "采购测温枪" in body


def test_it_shows_no_personal_data_on_the_page_or_in_the_workbook(client, ledger):
    body = client.get(_public()).content.decode()
    for secret in SECRETS:
        assert secret not in body, secret
    assert "区指挥部李主任" not in body  # the approver is an internal detail
    assert helpers.CREDIT not in body  # no credit code at all
    workbook = client.get(_public(suffix="export"))
    assert workbook.status_code == 200
    text = _workbook_text(workbook.content)
    assert "张**" in text and "淄博齐鲁医药有限公司" in text
    for secret in [*SECRETS, helpers.CREDIT, "区指挥部李主任"]:
        assert secret not in text, secret


def _workbook_text(content: bytes) -> str:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    cells = []
    for name in book.sheet_names:
        for row in book.get_sheet_by_name(name).to_python():
            cells.extend(str(value) for value in row)
    return "\n".join(cells)


def test_its_totals_equal_the_internal_ledger_and_the_stock_movements(client, tree, ledger):
    data = selectors.public_disclosure(tree.county)
    donations = Donation.objects.within(tree.county)
    internal = donations.aggregate(money=Sum("amount"), goods=Sum("goods_value"))
    assert data["money"]["received"] == internal["money"] == Decimal("151500.50")
    assert data["goods"]["value"] == internal["goods"]
    used = Disbursement.objects.within(tree.county).aggregate(s=Sum("amount"))["s"]
    assert data["money"]["used"] == used
    assert data["money"]["balance"] == internal["money"] - used
    assert sum(amount for _label, amount in data["money"]["by_channel"]) == internal["money"]
    assert sum(amount for _label, amount in data["money"]["by_designation"]) == internal["money"]
    lines = dict(
        DonationLine.objects.within(tree.county)
        .values("item")
        .annotate(q=Sum("quantity"))
        .values_list("item", "q")
    )
    # Every donated line went into stock: the supplies ledger's donation inbound agrees.
    moved = dict(
        Movement.objects.filter(kind="donation")
        .values("item")
        .annotate(q=Sum("quantity"))
        .values_list("item", "q")
    )
    public = {item["item_id"]: item["quantity"] for item in data["goods"]["items"]}
    assert public == lines == moved
    issued = dict(
        Movement.objects.filter(kind="issue")
        .values("item")
        .annotate(q=Sum("quantity"))
        .values_list("item", "q")
    )
    went: dict[str, Decimal] = {}
    for row in data["destinations"]:
        went[row["item"]] = went.get(row["item"], Decimal(0)) + row["quantity"]
    assert {name: -q for name, q in _named(issued).items()} == went
    body = client.get(_public()).content.decode()
    assert f'data-total="received">{internal["money"]:,.2f}<' in body
    assert f'data-total="used">{used:,.2f}<' in body


def _named(by_item: dict) -> dict:
    from fangkong.supplies.models import Item

    names = dict(Item.objects.filter(pk__in=by_item).values_list("pk", "name"))
    return {names[pk]: q for pk, q in by_item.items()}


def test_a_town_page_shows_only_the_town(client, tree, ledger):
    body = client.get(_public(tree.town.code)).content.decode()
    assert ledger[3].number in body and ledger[0].number not in body
    data = selectors.public_disclosure(tree.town)
    assert data["donation_count"] == 1 and data["money"]["received"] == 0


def test_it_answers_404_for_codes_that_are_no_district(client, tree, ledger):
    for code in ("999999", tree.village.code, "abc", tree.province.code):
        assert client.get(_public(code)).status_code == 404, code


def test_it_is_the_same_for_everybody_and_may_be_cached(client, client_for, users, ledger):
    anonymous = client.get(_public())
    assert "public" in anonymous["Cache-Control"]
    assert "Cookie" not in anonymous.get("Vary", "")
    assert "csrftoken" not in anonymous.cookies and "sessionid" not in anonymous.cookies
    logged_in = client_for(users.command).get(_public())
    assert "Cookie" not in logged_in.get("Vary", "")

    def strip(response):
        return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "", response.content.decode())

    assert strip(logged_in) == strip(anonymous)
    assert "command" not in logged_in.content.decode()


def test_it_reads_the_page_in_a_fixed_number_of_queries(
    client, tree, staff, items, store, ledger, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as few:
        client.get(_public())
    for n in range(10):
        donation = helpers.donation(
            staff.district,
            tree.county,
            helpers.person(staff.district, f"捐{n}"),
            amount=n + 1,
            lines=[(items.suits, n + 1, 10)],
        )
        services.donation_goods_receive(actor=staff.district, donation=donation, warehouse=store)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_public())
    assert response.content.decode().count("捐**") == 10


def test_it_pages_the_donations_but_not_the_totals(client, ledger, monkeypatch):
    from fangkong.donations import public

    monkeypatch.setattr(public, "PAGE_SIZE", 2)
    first = client.get(_public()).content.decode()
    last = client.get(_public() + "?page=3").content.decode()
    # The donations table (the uses of the money above it name their donation too).
    table = first.split('data-testid="donations"')[1]
    assert sum(d.number in table for d in ledger) == 2
    table = last.split('data-testid="donations"')[1]
    assert sum(d.number in table for d in ledger) == 1
    assert 'data-testid="pages"' in first
    for body in (first, last):
        assert 'data-total="received">151,500.50<' in body
        assert 'data-total="donations">5<' in body
