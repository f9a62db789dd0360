"""The supplies pages: the permission matrix of every route, the stock page, documents with
lines, the ledger, receipts and the catalogue."""

import pytest
from django.urls import reverse

from fangkong.supplies import services
from fangkong.supplies.models import Inbound, Item, Movement, Outbound, Stock, Warehouse
from tests.supplies import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree, users, items, town_store):
    mask = items["一次性口罩"]
    inbound = helpers.stock_in(town_store, mask, 100)
    outbound = helpers.issue(town_store, tree.village, mask, 10)
    return {"store": town_store, "mask": mask, "inbound": inbound, "outbound": outbound}


def _urls(world):
    store, mask = world["store"], world["mask"]
    return [
        reverse("supplies:warehouse_detail", args=[store.pk]),
        reverse("supplies:warehouse_edit", args=[store.pk]),
        reverse("supplies:warehouse_documents", args=[store.pk]),
        reverse("supplies:item_ledger", args=[store.pk, mask.pk]),
        reverse("supplies:inbound_create", args=[store.pk]),
        reverse("supplies:issue_create", args=[store.pk]),
        reverse("supplies:transfer_create", args=[store.pk]),
        reverse("supplies:adjustment_create", args=[store.pk]),
        reverse("supplies:inbound_detail", args=[world["inbound"].pk]),
        reverse("supplies:outbound_detail", args=[world["outbound"].pk]),
        reverse("supplies:outbound_receipt", args=[world["outbound"].pk]),
    ]


@pytest.mark.parametrize("who", ["outsider", "other_town", "norole", "grid"])
def test_it_hides_a_towns_warehouse_from_everyone_else(client_for, users, world, who):
    client = client_for(getattr(users, who))
    for url in _urls(world):
        assert client.get(url).status_code == 404, url


def test_it_opens_every_page_of_a_towns_warehouse_to_its_staff(client_for, users, world):
    client = client_for(users.town)
    for url in _urls(world):
        assert client.get(url).status_code == 200, url


def test_it_lets_the_command_read_but_not_move_stock(client_for, users, world):
    client = client_for(users.command)
    store = world["store"]
    assert client.get(reverse("supplies:warehouse_detail", args=[store.pk])).status_code == 200
    for name in ("inbound_create", "issue_create", "transfer_create", "adjustment_create"):
        assert client.get(reverse(f"supplies:{name}", args=[store.pk])).status_code == 404


def test_it_lists_warehouses_in_scope_only(client_for, users, world, tree, district_store):
    response = client_for(users.town).get(reverse("supplies:warehouse_list"))
    names = [w.name for w in response.context["warehouses"]]
    assert names == ["辛店街道物资库"]
    response = client_for(users.command).get(reverse("supplies:warehouse_list"))
    assert len(response.context["warehouses"]) == 2
    assert client_for(users.village).get(reverse("supplies:warehouse_list")).status_code == 404


def test_it_shows_stock_with_low_marks_in_few_queries(
    client_for, users, world, items, django_assert_max_num_queries
):
    store = world["store"]
    for item in list(items.values())[:12]:
        helpers.stock_in(store, item, 50)
        helpers.issue(store, store.area.children.first(), item, 7)
    services.threshold_set(actor=None, warehouse=store, item=world["mask"], threshold=500)
    client = client_for(users.town)
    url = reverse("supplies:warehouse_detail", args=[store.pk])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    rows = response.context["rows"]
    assert len(rows) == 12
    mask_row = next(r for r in rows if r["item"] == world["mask"])
    assert mask_row["is_low"] and mask_row["on_hand"] == 133
    assert b'data-low="1"' in response.content


def test_it_keeps_the_list_query_count_flat(
    client_for, users, tree, items, django_assert_max_num_queries
):
    for n in range(6):
        store = helpers.warehouse(tree.town, f"仓库{n}")
        helpers.stock_in(store, items["N95口罩"], 5)
    client = client_for(users.town)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("supplies:warehouse_list"))
    assert len(response.context["warehouses"]) == 6


def test_it_issues_through_the_form_and_names_a_short_line(client_for, users, world, tree):
    store, mask = world["store"], world["mask"]
    client = client_for(users.town)
    url = reverse("supplies:issue_create", args=[store.pk])
    data = {
        "recipient_area": tree.village2.code,
        "unit_type": "village",
        "unit_name": "",
        "item": [str(mask.pk), ""],
        "quantity": ["91", ""],
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["line_errors"] and "91" in response.context["line_errors"][0]
    assert Outbound.objects.count() == 1
    data["quantity"] = ["40", ""]
    response = client.post(url, data)
    assert response.status_code == 302
    outbound = Outbound.objects.latest("id")
    assert outbound.unit_name == tree.village2.name and outbound.created_by == users.town
    assert helpers.on_hand(store, mask) == 50


def test_it_refuses_a_fractional_mask_in_the_inbound_form(client_for, users, world):
    client = client_for(users.town)
    url = reverse("supplies:inbound_create", args=[world["store"].pk])
    data = {
        "kind": "purchase",
        "supplier": "某公司",
        "item": [str(world["mask"].pk), "999999"],
        "quantity": ["1.5", "3"],
        "unit_price": ["", ""],
    }
    response = client.post(url, data)
    assert response.status_code == 400
    errors = response.context["line_errors"]
    assert len(errors) == 2 and "第1行" in errors[0] and "第2行" in errors[1]
    assert Inbound.objects.count() == 1
    data.update(item=[str(world["mask"].pk)], quantity=["20"], unit_price=["0.9"])
    assert client.post(url, data).status_code == 302
    assert helpers.on_hand(world["store"], world["mask"]) == 110


def test_it_transfers_and_takes_stock_through_the_forms(
    client_for, users, world, tree, district_store, items
):
    client = client_for(users.command)
    client = client_for(users.town)
    other = helpers.warehouse(tree.town, "辛店二库")
    url = reverse("supplies:transfer_create", args=[world["store"].pk])
    response = client.post(
        url, {"to_warehouse": other.pk, "item": [world["mask"].pk], "quantity": ["30"]}
    )
    assert response.status_code == 302
    assert helpers.on_hand(other, world["mask"]) == 30
    # The district's warehouse is not the town's to send to.
    response = client.post(
        url, {"to_warehouse": district_store.pk, "item": [world["mask"].pk], "quantity": ["1"]}
    )
    assert response.status_code == 400
    url = reverse("supplies:adjustment_create", args=[world["store"].pk])
    response = client.post(url, {"item": world["mask"].pk, "counted": "58", "reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"item": world["mask"].pk, "counted": "58", "reason": "破损"})
    assert response.status_code == 302
    assert helpers.on_hand(world["store"], world["mask"]) == 58
    helpers.assert_books_balance()


def test_it_shows_the_ledger_with_running_balance_and_sets_a_threshold(
    client_for, users, world, django_assert_max_num_queries
):
    store, mask = world["store"], world["mask"]
    for _n in range(5):
        helpers.issue(store, store.area.children.first(), mask, 1)
    client = client_for(users.town)
    url = reverse("supplies:item_ledger", args=[store.pk, mask.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    balances = [m.balance_after for m in response.context["page_obj"]]
    assert balances == [85, 86, 87, 88, 89, 90, 100]
    assert client.post(url, {"threshold": "x"}).status_code == 400
    assert client.post(url, {"threshold": "120"}).status_code == 302
    assert Stock.objects.get(warehouse=store, item=mask).low
    assert client_for(users.command).post(url, {"threshold": "1"}).status_code == 404


def test_it_records_the_signature_and_the_unit_confirms(client_for, users, world):
    outbound = world["outbound"]
    url = reverse("supplies:outbound_detail", args=[outbound.pk])
    town = client_for(users.town)
    assert town.post(reverse("supplies:outbound_sign", args=[outbound.pk]), {}).status_code == 302
    town.post(reverse("supplies:outbound_sign", args=[outbound.pk]), {"receiver_name": "赵六"})
    receipt = town.get(reverse("supplies:outbound_receipt", args=[outbound.pk]))
    assert "赵六".encode() in receipt.content and "一次性口罩".encode() in receipt.content
    village = client_for(users.village)
    page = village.get(url)
    assert page.status_code == 200 and page.context["can_confirm"]
    assert page.context["trace"] == []
    assert village.get(reverse("supplies:received_list")).context["page_obj"][0] == outbound
    village.post(reverse("supplies:outbound_confirm", args=[outbound.pk]))
    outbound.refresh_from_db()
    assert outbound.receiver_name == "赵六" and outbound.confirmed_by == users.village
    # Confirmed once; a second press is refused without a change.
    assert village.post(reverse("supplies:outbound_confirm", args=[outbound.pk])).status_code == 404


def test_it_lets_only_district_staff_edit_the_catalogue(client_for, users, keeper, items):
    mask = items["一次性口罩"]
    for user in (users.town, users.command, users.village):
        client = client_for(user)
        assert client.get(reverse("supplies:item_edit", args=[mask.pk])).status_code == 404
        assert client.get(reverse("supplies:item_create")).status_code == 404
    client = client_for(keeper)
    response = client.post(
        reverse("supplies:item_create"),
        {"category": mask.category_id, "name": "一次性口罩", "specification": "一次性使用医用口罩",
         "unit": "个", "countable": "on", "active": "on"},
    )  # fmt: skip
    assert response.status_code == 400
    response = client.post(
        reverse("supplies:item_create"),
        {"category": mask.category_id, "name": "KN95口罩", "unit": "个", "countable": "on",
         "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Item.objects.get(name="KN95口罩").countable
    listing = client_for(users.village).get(reverse("supplies:item_list"))
    assert listing.status_code == 200 and b"KN95" in listing.content


def test_it_creates_warehouses_at_district_or_town_only(client_for, users, tree, keeper):
    client = client_for(keeper)
    url = reverse("supplies:warehouse_create")
    assert client.post(url, {"area": tree.village.code, "name": "村库"}).status_code == 400
    assert client.post(url, {"area": tree.county.code, "name": "区库"}).status_code == 302
    assert client.post(url, {"area": tree.county.code, "name": "区库"}).status_code == 400
    assert Warehouse.objects.count() == 1
    assert (
        client_for(users.town).post(url, {"area": tree.county.code, "name": "x"}).status_code == 400
    )
    assert Movement.objects.count() == 0


def test_it_counts_requests_to_decide_and_low_stock_on_the_home_page(
    client_for, users, world, items
):
    services.threshold_set(actor=None, warehouse=world["store"], item=world["mask"], threshold=95)
    services.request_create(
        actor=users.village,
        unit_type="village",
        purpose="值守",
        lines=[{"item": world["mask"], "quantity": 5}],
    )
    response = client_for(users.town).get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("supplies:request_list") in body and reverse("supplies:warehouse_list") in body
    assert client_for(users.grid).get(reverse("home")).status_code == 200


def test_it_offers_the_contract_selectors(users, world, district_store, items):
    from fangkong.supplies import selectors

    assert list(selectors.warehouses_for(user=users.town)) == [world["store"]]
    assert set(selectors.warehouses_for(user=users.command)) == {world["store"], district_store}
    assert not selectors.warehouses_for(user=users.norole).exists()
    assert not selectors.warehouses_for(user=users.other_town).exists()
    assert selectors.item_choices().count() == len(items)


def test_it_adds_lines_without_losing_what_was_typed(client_for, users, world, tree):
    url = reverse("supplies:issue_create", args=[world["store"].pk])
    data = {
        "recipient_area": tree.village.code,
        "item": [str(world["mask"].pk)] + [""] * 4,
        "quantity": ["7", "", "", "", ""],
        "more": "1",
    }
    response = client_for(users.town).post(url, data)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 10 and rows[0]["quantity"] == "7"
    assert not response.context["form"].errors
    assert Outbound.objects.count() == 1


def test_it_pins_the_received_list_and_outbound_page_queries(
    client_for, users, world, tree, django_assert_max_num_queries
):
    for _n in range(6):
        helpers.issue(world["store"], tree.village, world["mask"], 1)
    client = client_for(users.village)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("supplies:received_list"))
    assert len(response.context["page_obj"]) == 7
    with django_assert_max_num_queries(8):
        client.get(reverse("supplies:outbound_detail", args=[world["outbound"].pk]))


def test_it_lists_a_warehouses_documents_by_kind(
    client_for, users, world, tree, django_assert_max_num_queries
):
    for _n in range(5):
        helpers.issue(world["store"], tree.village2, world["mask"], 1)
    client = client_for(users.town)
    url = reverse("supplies:warehouse_documents", args=[world["store"].pk])
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert len(response.context["page_obj"]) == 6
    response = client.get(url + "?kind=inbound")
    assert [d.pk for d in response.context["page_obj"]] == [world["inbound"].pk]
    assert client.get(url + "?kind=nonsense").context["kind"] == "issue"
    for who in ("other_town", "outsider", "norole"):
        assert client_for(getattr(users, who)).get(url).status_code == 404
