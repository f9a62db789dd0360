"""The internal pages: the permission matrix of every route, forms good and bad, query
counts of the lists."""

from decimal import Decimal

import pytest
from django.urls import reverse

from fangkong.core.models import AccessLog
from fangkong.donations.models import Disbursement, Donation, Donor
from fangkong.supplies.models import Inbound
from tests.donations import helpers


@pytest.fixture
def world(tree, users, staff, items):
    donor = helpers.person(staff.town, "钱七", phone="13905337777")
    donation = helpers.donation(
        staff.town, tree.town, donor, amount=500, lines=[(items.masks, 200, 300)]
    )
    return {"donor": donor, "donation": donation}


def who(users, staff) -> dict:
    return {
        "outsider": users.outsider,
        "other_town": staff.other_town,
        "norole": users.norole,
        "command": users.command,
        "town": staff.town,
    }


def _url(name, obj=None):
    return reverse(f"donations:{name}", kwargs={"pk": obj.pk} if obj is not None else None)


@pytest.mark.parametrize(
    ("name", "obj", "expected"),
    [
        ("detail", "donation", {"command": 200, "town": 200}),
        ("edit", "donation", {"command": 404, "town": 200}),
        ("certificate", "donation", {"command": 200, "town": 200}),
        ("donor_detail", "donor", {"command": 200, "town": 200}),
        ("donor_edit", "donor", {"command": 404, "town": 200}),
    ],
)
def test_it_shows_objects_only_inside_the_scope_to_the_roles(
    client_for, users, staff, world, name, obj, expected
):
    url = _url(name, world[obj])
    found = helpers.statuses(client_for, who(users, staff), url)
    assert found == {"outsider": 404, "other_town": 404, "norole": 404, **expected}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("list", {"outsider": 200, "other_town": 200, "command": 200, "town": 200}),
        ("donor_list", {"outsider": 200, "other_town": 200, "command": 200, "town": 200}),
        ("create", {"outsider": 404, "other_town": 200, "command": 404, "town": 200}),
        ("donor_create", {"outsider": 404, "other_town": 200, "command": 404, "town": 200}),
    ],
)
def test_it_opens_lists_and_forms_to_the_roles(client_for, users, staff, world, name, expected):
    found = helpers.statuses(client_for, who(users, staff), _url(name))
    assert found == {"norole": 404, **expected}


def test_it_lists_only_what_lies_in_the_scope(client_for, users, staff, world):
    for user in (users.outsider, staff.other_town):
        body = client_for(user).get(_url("list")).content.decode()
        assert "钱七" not in body and world["donation"].number not in body
        body = client_for(user).get(_url("donor_list")).content.decode()
        assert "钱七" not in body
    body = client_for(users.command).get(_url("list")).content.decode()
    assert "钱七" in body and world["donation"].number in body


@pytest.mark.parametrize(
    ("name", "obj", "data"),
    [
        ("receive", "donation", {"warehouse": "1"}),
        ("disburse", "donation", {"amount": "1", "purpose": "x", "paid_on": "2020-02-01"}),
        ("edit", "donation", {}),
        ("donor_edit", "donor", {"kind": "individual", "name": "改"}),
        ("donor_reveal", "donor", {}),
    ],
)
def test_it_refuses_writes_outside_the_scope_and_changes_nothing(
    client_for, users, staff, world, name, obj, data
):
    url = _url(name, world[obj])
    before = (
        list(Donation.objects.values_list()),
        list(Donor.objects.values_list()),
        Disbursement.objects.count(),
        Inbound.objects.count(),
        AccessLog.objects.count(),
    )
    denied = {"outsider": users.outsider, "other_town": staff.other_town, "norole": users.norole}
    assert set(helpers.statuses(client_for, denied, url, "post", data).values()) == {404}
    after = (
        list(Donation.objects.values_list()),
        list(Donor.objects.values_list()),
        Disbursement.objects.count(),
        Inbound.objects.count(),
        AccessLog.objects.count(),
    )
    assert after == before


def _form(tree, donor, **extra):
    data = {
        "area": tree.town.code,
        "donor": str(donor.pk),
        "received_on": helpers.today().isoformat(),
        "amount": "",
        "channel": "",
        "designation": "undesignated",
        "purpose": "",
        "note": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    for n in range(3):
        data.update({f"lines-{n}-item": "", f"lines-{n}-quantity": "", f"lines-{n}-value": ""})
    data.update(extra)
    return data


def test_it_registers_a_donation_with_goods_lines_from_the_form(client_for, tree, staff, items):
    donor = helpers.enterprise(staff.town, credit_code="")
    data = _form(
        tree,
        donor,
        amount="2000",
        channel="alipay",
        **{
            "lines-0-item": str(items.masks.pk),
            "lines-0-quantity": "1000",
            "lines-0-value": "1500",
            "lines-2-item": str(items.alcohol.pk),
            "lines-2-quantity": "2.5",
            "lines-2-value": "50",
        },
    )
    response = client_for(staff.town).post(_url("create"), data)
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert response["Location"] == _url("detail", donation)
    assert donation.amount == 2000 and donation.channel == "alipay"
    assert donation.area_id == tree.town.code and donation.goods_value == Decimal("1550")
    assert sorted(donation.lines.values_list("quantity", flat=True)) == [Decimal("2.5"), 1000]


def test_it_refuses_an_empty_donation_form_with_a_message(client_for, tree, staff, items):
    donor = helpers.enterprise(staff.town, credit_code="")
    response = client_for(staff.town).post(_url("create"), _form(tree, donor))
    assert response.status_code == 400
    assert "data-form-errors" in response.content.decode()
    bad_line = _form(
        tree, donor, **{"lines-1-item": str(items.masks.pk), "lines-1-quantity": "1.5"}
    )
    response = client_for(staff.town).post(_url("create"), bad_line)
    assert response.status_code == 400
    assert 'data-field-error="lines"' in response.content.decode()
    assert "第2行" in response.content.decode()
    assert not Donation.objects.exists()


def test_it_refuses_a_unit_outside_the_scope_in_the_form(client_for, tree, staff, items):
    donor = helpers.enterprise(staff.town, credit_code="")
    data = _form(tree, donor, area=tree.other_town.code, amount="5", channel="cash")
    response = client_for(staff.town).post(_url("create"), data)
    assert response.status_code == 400 and not Donation.objects.exists()


def test_it_edits_a_donation_in_the_form(client_for, tree, staff, world, items):
    donation = world["donation"]
    data = _form(
        tree,
        world["donor"],
        amount="800",
        channel="cash",
        **{"lines-0-item": str(items.rice.pk), "lines-0-quantity": "3", "lines-0-value": "300"},
    )
    response = client_for(staff.town).post(_url("edit", donation), data)
    assert response.status_code == 302
    donation.refresh_from_db()
    assert donation.amount == 800 and donation.goods_value == 300
    assert list(donation.lines.values_list("item", flat=True)) == [items.rice.pk]


def test_it_receives_goods_and_records_money_use_from_the_detail_page(
    client_for, tree, staff, world, town_store
):
    donation = world["donation"]
    client = client_for(staff.town)
    page = client.get(_url("detail", donation)).content.decode()
    assert 'data-testid="receive"' in page and "辛店街道物资库" in page
    response = client.post(_url("receive", donation), {"warehouse": str(town_store.pk)})
    assert response.status_code == 302
    donation.refresh_from_db()
    assert donation.goods_received and donation.warehouse == town_store
    page = client.get(_url("detail", donation)).content.decode()
    assert 'data-testid="receive"' not in page
    response = client.post(
        _url("disburse", donation),
        {
            "amount": "200",
            "purpose": "慰问一线人员",
            "paid_on": helpers.today().isoformat(),
            "approved_by": "街道办",
        },
    )
    assert response.status_code == 302
    donation.refresh_from_db()
    assert donation.money_used == 200
    response = client.post(
        _url("disburse", donation),
        {
            "amount": "999",
            "purpose": "x",
            "paid_on": helpers.today().isoformat(),
            "approved_by": "y",
        },
    )
    assert response.status_code == 400 and Disbursement.objects.count() == 1


def test_it_registers_and_edits_a_donor_from_the_form(client_for, staff):
    client = client_for(staff.town)
    response = client.post(
        _url("donor_create"),
        {
            "kind": "enterprise",
            "name": "临淄石化",
            "credit_code": helpers.CREDIT,
            "phone": "13905338888",
        },
    )
    assert response.status_code == 302
    donor = Donor.objects.get()
    assert donor.phone_masked == "139****8888"
    response = client.post(
        _url("donor_edit", donor),
        {"kind": "enterprise", "name": "临淄石化集团", "credit_code": helpers.CREDIT, "phone": ""},
    )
    assert response.status_code == 302
    donor.refresh_from_db()
    assert donor.name == "临淄石化集团" and donor.phone_masked == "139****8888"
    response = client.post(
        _url("donor_create"), {"kind": "enterprise", "name": "坏", "credit_code": "123"}
    )
    assert response.status_code == 400
    assert 'data-field-error="credit_code"' in response.content.decode()
    assert Donor.objects.count() == 1


def test_it_masks_the_phone_and_reveals_it_with_a_log_entry(client_for, users, staff, world):
    donor = world["donor"]
    page = client_for(staff.town).get(_url("donor_detail", donor)).content.decode()
    assert "139****7777" in page and "13905337777" not in page
    assert 'data-reveal="phone"' not in page  # the supplies group may not reveal
    response = client_for(users.command).post(_url("donor_reveal", donor))
    assert response.status_code == 200 and "13905337777" in response.content.decode()
    assert AccessLog.objects.filter(target_type="donor", fields="phone").count() == 1


def test_it_downloads_the_certificate_as_word(client_for, staff, world):
    response = client_for(staff.town).get(_url("certificate", world["donation"]))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response.content.startswith(b"PK")


def test_it_lists_donations_in_a_fixed_number_of_queries(
    client_for, tree, staff, items, django_assert_max_num_queries
):
    donors = [helpers.person(staff.town, f"捐赠人{n}") for n in range(3)]
    for n in range(12):
        helpers.donation(
            staff.town, tree.town, donors[n % 3], amount=n + 1, lines=[(items.masks, 10, 1)]
        )
    client = client_for(staff.town)
    client.get(_url("list"))
    with django_assert_max_num_queries(8):
        response = client.get(_url("list") + "?q=捐赠人&kind=individual")
    assert response.content.decode().count("data-id=") == 12
    with django_assert_max_num_queries(8):
        response = client.get(_url("donor_list"))
    assert response.content.decode().count("data-id=") == 3


def test_it_filters_donations_by_kind_and_date(client_for, tree, staff, items):
    firm = helpers.enterprise(staff.town, credit_code="")
    person = helpers.person(staff.town)
    old = helpers.today().replace(day=1) if helpers.today().day > 1 else helpers.today()
    helpers.donation(staff.town, tree.town, firm, amount=1, received_on=old)
    helpers.donation(staff.town, tree.town, person, amount=2)
    client = client_for(staff.town)
    body = client.get(_url("list") + "?kind=enterprise").content.decode()
    assert body.count("data-id=") == 1 and "淄博齐鲁医药有限公司" in body
    body = client.get(_url("list") + f"?date_from={helpers.today().isoformat()}").content.decode()
    assert "张三丰" in body
    body = client.get(_url("list") + "?date_from=2020-02-02&date_to=2020-02-01").content.decode()
    assert 'data-field-error="date_to"' in body
