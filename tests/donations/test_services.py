"""The donation services: good and bad paths, numbering, receiving goods into stock."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fangkong.core import pii
from fangkong.core.models import AccessLog
from fangkong.core.services import Origin
from fangkong.donations import services
from fangkong.donations.models import Disbursement, Donation, DonationLine, Donor
from fangkong.donations.validators import make_credit_code, normalize_credit_code
from fangkong.supplies.models import Inbound, Lot, Movement, Stock
from tests.donations import helpers


def _codes(exc) -> dict:
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


# -- credit code ----------------------------------------------------------------------------


def test_it_accepts_real_credit_codes_and_refuses_broken_ones():
    # Published codes (the standard's example and real companies').
    assert normalize_credit_code("91350100M000100Y43") == "91350100M000100Y43"
    assert normalize_credit_code(" 91110000100006485k ") == "91110000100006485K"
    assert normalize_credit_code("91110108551385082Q") == "91110108551385082Q"
    code = make_credit_code("91370305MA3C00001")
    assert normalize_credit_code(code) == code
    broken = code[:-1] + ("0" if code[-1] != "0" else "1")
    for value, reason in [
        (broken, "credit_check"),
        (code[:17], "credit_length"),
        ("91370305MA3C0000I" + code[-1], "credit_chars"),
        ("91ABCDEFMA3C00001" + code[-1], "credit_region"),
    ]:
        with pytest.raises(ValidationError) as exc:
            normalize_credit_code(value)
        assert exc.value.code == reason, value


# -- donors ---------------------------------------------------------------------------------


def test_it_registers_a_donor_with_the_phone_encrypted(tree, staff):
    donor = helpers.enterprise(staff.district)
    assert donor.area_id == tree.county.code
    assert donor.phone_masked == "139****0001"
    assert "13905330001" not in donor.phone_encrypted
    assert pii.decrypt(donor.phone_encrypted) == "13905330001"
    assert donor.phone_hash == pii.digest("13905330001")
    assert donor.public_name == "淄博齐鲁医药有限公司"


def test_it_refuses_bad_donors_and_writes_nothing(staff):
    cases = [
        ({"kind": "enterprise", "name": "", "credit_code": ""}, "name"),
        (
            {"kind": "enterprise", "name": "甲公司", "credit_code": "91370305MA3C000010"},
            "credit_code",
        ),
        ({"kind": "individual", "name": "李四", "credit_code": helpers.CREDIT}, "credit_code"),
        ({"kind": "individual", "name": "李四", "phone": "1234"}, "phone"),
        ({"kind": "robot", "name": "甲"}, "kind"),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.donor_create(actor=staff.district, **fields)
        assert field in exc.value.message_dict, fields
    assert not Donor.objects.exists()


def test_it_refuses_a_second_donor_with_the_same_credit_code(staff):
    helpers.enterprise(staff.district)
    with pytest.raises(ValidationError) as exc:
        helpers.enterprise(staff.district, name="另一家公司")
    assert "淄博齐鲁医药有限公司" in exc.value.message_dict["credit_code"][0]
    assert Donor.objects.count() == 1


def test_it_keeps_the_phone_when_an_update_leaves_it_out(staff):
    donor = helpers.person(staff.district)
    donor = services.donor_update(
        actor=staff.district, donor=donor, kind="individual", name="张三丰", disclose_name=True
    )
    assert pii.decrypt(donor.phone_encrypted) == "13805330002"
    assert donor.disclose_name and donor.public_name == "张三丰"


def test_it_names_donors_publicly_by_kind_consent_and_anonymity(staff):
    assert helpers.person(staff.district).public_name == "张**"
    assert helpers.person(staff.district, "李四", disclose_name=True).public_name == "李四"
    assert helpers.person(staff.district, "王五", anonymous=True).public_name == "爱心人士"
    anonymous_firm = helpers.enterprise(staff.district, "某公司", credit_code="", anonymous=True)
    assert anonymous_firm.public_name == "爱心人士"


def test_it_reveals_a_phone_only_with_the_permission_and_logs_it(staff, users):
    donor = helpers.person(staff.district)
    with pytest.raises(PermissionError):
        services.donor_reveal_phone(actor=staff.district, donor=donor, origin=Origin.command_line())
    value = services.donor_reveal_phone(
        actor=users.command, donor=donor, origin=Origin(ip_address="10.0.0.9", user_agent="t")
    )
    assert value == "13805330002"
    entry = AccessLog.objects.get()
    assert (entry.target_type, entry.fields, entry.actor) == ("donor", "phone", users.command)


# -- donations ------------------------------------------------------------------------------


def test_it_numbers_donations_per_unit_and_year(tree, staff, items):
    firm = helpers.enterprise(staff.district)
    first = helpers.donation(staff.district, tree.county, firm, amount=1000)
    second = helpers.donation(staff.district, tree.county, firm, amount=2000)
    town = helpers.donation(staff.district, tree.town, firm, lines=[(items.masks, 100, 150)])
    year = helpers.today().year
    assert first.number == f"临捐〔{year}〕1号"
    assert second.number == f"临捐〔{year}〕2号"
    assert town.number == f"辛捐〔{year}〕1号"
    last_year = helpers.donation(
        staff.district, tree.county, firm, amount=5, received_on=datetime.date(year - 1, 12, 31)
    )
    assert last_year.number == f"临捐〔{year - 1}〕1号"


def test_it_registers_money_and_goods_with_their_totals(tree, staff, items):
    firm = helpers.enterprise(staff.district)
    donation = helpers.donation(
        staff.district,
        tree.county,
        firm,
        amount="100000.50",
        designation="designated",
        purpose="一线医护人员慰问",
        lines=[(items.masks, 5000, 7500), (items.alcohol, "12.5", 250)],
    )
    assert donation.amount == Decimal("100000.50") and donation.channel == "bank"
    assert donation.goods_value == Decimal("7750") and donation.goods_lines == 2
    assert list(donation.lines.values_list("quantity", flat=True)) == [
        Decimal("5000"),
        Decimal("12.5"),
    ]


def test_it_refuses_a_donation_with_neither_money_nor_goods(tree, staff):
    firm = helpers.enterprise(staff.district)
    with pytest.raises(ValidationError) as exc:
        helpers.donation(staff.district, tree.county, firm)
    assert _codes(exc) == {"__all__": ["empty"]}
    with pytest.raises(ValidationError):
        helpers.donation(staff.district, tree.county, firm, amount=0)
    assert not Donation.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "10.123"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "100", "channel": ""}, "channel"),
        ({"amount": "100", "designation": "designated", "purpose": ""}, "purpose"),
        (
            {"amount": "100", "received_on": helpers.today() + datetime.timedelta(days=1)},
            "received_on",
        ),
    ],
)
def test_it_refuses_bad_money(tree, staff, fields, field):
    firm = helpers.enterprise(staff.district)
    amount = fields.pop("amount")
    fields.setdefault("channel", "bank")
    fields.setdefault("received_on", helpers.today())
    with pytest.raises(ValidationError) as exc:
        services.donation_create(
            actor=staff.district, area=tree.county, donor=firm, amount=amount, **fields
        )
    assert field in exc.value.message_dict
    assert not Donation.objects.exists()


def test_it_refuses_bad_goods_lines_naming_the_line(tree, staff, items):
    firm = helpers.enterprise(staff.district)
    bad = [
        [(items.masks, "-1", 0)],
        [(items.masks, 0, 0)],
        [(items.masks, "10.5", 0)],  # masks come in whole pieces
        [(items.masks, 10, "-3")],
    ]
    for lines in bad:
        with pytest.raises(ValidationError) as exc:
            helpers.donation(staff.district, tree.county, firm, lines=lines)
        assert exc.value.message_dict["lines"][0].startswith("第1行"), lines
    with pytest.raises(ValidationError) as exc:
        helpers.donation(
            staff.district, tree.county, firm, lines=[(items.rice, 1, 0), (items.suits, "0.5", 0)]
        )
    assert exc.value.message_dict["lines"][0].startswith("第2行")
    assert not Donation.objects.exists() and not DonationLine.objects.exists()
    # Litres of alcohol may be fractional.
    assert helpers.donation(staff.district, tree.county, firm, lines=[(items.alcohol, "2.5", 0)])


def test_it_refuses_units_and_donors_outside_the_scope(tree, staff, items):
    firm = helpers.enterprise(staff.district)
    town_donor = helpers.person(staff.town, "赵六")
    cases = [
        (staff.town, tree.county, firm, "area"),  # the district is above a town's staff
        (staff.other_town, tree.other_town, town_donor, "donor"),
        (staff.district, tree.village, firm, "area"),  # villages do not receive donations
        (staff.district, tree.county, town_donor, "donor"),  # registered below the unit
    ]
    for actor, area, donor, field in cases:
        with pytest.raises(ValidationError) as exc:
            helpers.donation(actor, area, donor, amount=10)
        assert field in exc.value.message_dict, (actor, area, donor)
    assert not Donation.objects.exists()


def test_it_updates_a_donation_and_replaces_its_lines(tree, staff, items):
    firm = helpers.enterprise(staff.district)
    donation = helpers.donation(staff.district, tree.county, firm, lines=[(items.masks, 10, 15)])
    donation = services.donation_update(
        actor=staff.district,
        donation=donation,
        donor=firm,
        received_on=donation.received_on,
        amount=Decimal("300"),
        channel="wechat",
        lines=[{"item": items.rice, "quantity": Decimal(4), "value": Decimal(400)}],
    )
    assert donation.amount == 300 and donation.goods_value == 400
    assert list(donation.lines.values_list("item", flat=True)) == [items.rice.pk]


# -- receiving into stock -------------------------------------------------------------------


def test_it_receives_the_goods_into_stock_once(tree, staff, items, store):
    firm = helpers.enterprise(staff.district)
    donation = helpers.donation(
        staff.district, tree.county, firm, lines=[(items.masks, 5000, 7500), (items.rice, 20, 2000)]
    )
    donation = services.donation_goods_receive(
        actor=staff.district, donation=donation, warehouse=store
    )
    inbound = Inbound.objects.get()
    assert donation.inbound == inbound and donation.warehouse == store
    assert (inbound.kind, inbound.source_type, inbound.source_id) == (
        "donation",
        "donations.donation",
        str(donation.pk),
    )
    assert inbound.document_no == donation.number
    assert inbound.supplier == "淄博齐鲁医药有限公司"
    lines = {line.item_id: line for line in donation.lines.all()}
    assert sorted(inbound.lines.values_list("source_line", flat=True)) == sorted(
        str(line.pk) for line in lines.values()
    )
    assert Stock.objects.get(warehouse=store, item=items.masks).on_hand == 5000
    assert Movement.objects.filter(kind="donation").count() == 2
    assert Lot.objects.filter(source_id=str(donation.pk)).count() == 2
    with pytest.raises(ValidationError) as exc:
        services.donation_goods_receive(actor=staff.district, donation=donation, warehouse=store)
    assert _codes(exc) == {"warehouse": ["received"]}
    assert Inbound.objects.count() == 1


def test_it_fixes_the_lines_once_the_goods_are_in_stock(tree, staff, items, store):
    firm = helpers.enterprise(staff.district)
    donation = helpers.donation(staff.district, tree.county, firm, lines=[(items.masks, 10, 15)])
    services.donation_goods_receive(actor=staff.district, donation=donation, warehouse=store)
    with pytest.raises(ValidationError) as exc:
        services.donation_update(
            actor=staff.district,
            donation=donation,
            donor=firm,
            received_on=donation.received_on,
            lines=[{"item": items.masks, "quantity": Decimal(11), "value": Decimal(15)}],
        )
    assert _codes(exc) == {"lines": ["received"]}
    # The rest may still be corrected, with the lines left as they are.
    donation = services.donation_update(
        actor=staff.district,
        donation=donation,
        donor=firm,
        received_on=donation.received_on,
        amount=Decimal(50),
        channel="cash",
        lines=None,
    )
    assert donation.amount == 50 and donation.lines.get().quantity == 10


def test_it_refuses_receiving_without_goods_or_into_a_foreign_warehouse(tree, staff, items):
    firm = helpers.enterprise(staff.district)
    money_only = helpers.donation(staff.district, tree.county, firm, amount=10)
    store = helpers.warehouse(tree.county)
    with pytest.raises(ValidationError) as exc:
        services.donation_goods_receive(actor=staff.district, donation=money_only, warehouse=store)
    assert _codes(exc) == {"warehouse": ["empty"]}
    goods = helpers.donation(staff.district, tree.town, firm, lines=[(items.masks, 1, 1)])
    other = helpers.warehouse(tree.other_town, "闻韶街道物资库")
    with pytest.raises(ValidationError) as exc:
        services.donation_goods_receive(actor=staff.district, donation=goods, warehouse=other)
    assert _codes(exc) == {"warehouse": ["scope"]}
    assert not Inbound.objects.exists()


# -- money use ------------------------------------------------------------------------------


def test_it_records_money_use_up_to_the_balance(tree, staff):
    firm = helpers.enterprise(staff.district)
    donation = helpers.donation(staff.district, tree.county, firm, amount=1000)
    services.disbursement_create(
        actor=staff.district,
        donation=donation,
        amount=Decimal("600"),
        purpose="购买防护服",
        paid_on=helpers.today(),
        approved_by="区指挥部",
    )
    donation.refresh_from_db()
    assert donation.money_used == 600 and donation.balance == 400
    with pytest.raises(ValidationError) as exc:
        services.disbursement_create(
            actor=staff.district,
            donation=donation,
            amount=Decimal("400.01"),
            purpose="慰问",
            paid_on=helpers.today(),
            approved_by="区指挥部",
        )
    assert "400.00" in exc.value.message_dict["amount"][0]
    with pytest.raises(ValidationError) as exc:
        services.disbursement_create(
            actor=staff.district,
            donation=donation,
            amount=None,
            purpose="",
            paid_on=donation.received_on - datetime.timedelta(days=1),
            approved_by="",
        )
    assert set(exc.value.message_dict) == {"amount", "purpose", "approved_by", "paid_on"}
    with pytest.raises(ValidationError) as exc:
        services.donation_update(
            actor=staff.district,
            donation=donation,
            donor=firm,
            received_on=donation.received_on,
            amount=Decimal(500),
            channel="bank",
        )
    assert _codes(exc) == {"amount": ["used"]}
    assert Disbursement.objects.count() == 1
