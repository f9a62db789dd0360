"""A village asks for supplies on a 375 px phone; the town's storekeeper reads the stock page
on the same phone."""

import pytest

from fangkong.supplies import services
from fangkong.supplies.models import SupplyRequest
from tests import factories
from tests.browser.fixtures import login
from tests.supplies import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_asks_for_supplies_on_a_phone(phone, tree, users, tmp_path):
    items = helpers.catalogue()
    login(phone, "village", factories.PASSWORD)
    phone.goto(f"{phone.base}/supplies/requests/new/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.select_option("#id_unit_type", "checkpoint")
    phone.fill("#id_unit_name", "太公卡口")
    phone.select_option("[data-line='1'] select", str(items["N95口罩"].pk))
    phone.fill("[data-line='1'] input[name=quantity]", "2.5")
    phone.fill("#id_purpose", "卡口值守")
    phone.click("[data-testid=save]")
    phone.wait_for_selector("[data-field-error=lines]")
    phone.click("[data-testid=more-lines]")
    phone.wait_for_selector("[data-line='10']")
    phone.fill("[data-line='1'] input[name=quantity]", "20")
    # Enter saves (the hidden default button), it does not add lines.
    phone.press("[data-line='1'] input[name=quantity]", "Enter")
    phone.wait_for_selector("[data-testid=status]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    request = SupplyRequest.objects.get()
    assert request.unit_name == "太公卡口" and request.lines.get().quantity == 20


def test_the_stock_page_fits_a_phone(phone, tree, users, tmp_path):
    items = helpers.catalogue()
    store = helpers.warehouse(tree.town, "辛店街道物资库")
    for item in list(items.values())[:8]:
        helpers.stock_in(store, item, 100)
        helpers.issue(store, tree.village, item, 30)
    services.threshold_set(actor=None, warehouse=store, item=items["一次性口罩"], threshold=80)
    login(phone, "town", factories.PASSWORD)
    phone.goto(f"{phone.base}/supplies/warehouses/{store.pk}/")
    phone.wait_for_selector("[data-low='1']")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.screenshot(path=str(tmp_path / "stock.png"), full_page=True)
