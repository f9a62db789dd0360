"""The supplies group registers a donation on a 375 px phone; the public page fits it too."""

import pytest

from fangkong.accounts.services import roles_sync
from fangkong.donations.models import Donation
from fangkong.supplies.models import Item
from tests import factories
from tests.browser.fixtures import login
from tests.donations import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 375


def test_it_registers_a_donation_and_shows_it_publicly_on_a_phone(phone, tree):
    roles_sync()
    items = helpers.catalogue()
    staff = factories.user("town_supplies", tree.town, "task_supplies")
    donor = helpers.enterprise(staff, credit_code="")
    login(phone, "town_supplies", factories.PASSWORD)
    phone.goto(f"{phone.base}/donations/new/")
    assert _fits(phone)
    phone.select_option("#id_donor", str(donor.pk))
    phone.fill("#id_amount", "3000")
    phone.select_option("#id_channel", "wechat")
    phone.select_option("#id_lines-0-item", str(items.masks.pk))
    phone.fill("#id_lines-0-quantity", "500")
    phone.fill("#id_lines-0-value", "750")
    phone.click("[data-testid=save]")
    phone.wait_for_selector("[data-field=amount]")
    assert _fits(phone)
    donation = Donation.objects.get()
    assert donation.amount == 3000 and donation.lines.get().quantity == 500
    phone.goto(f"{phone.base}/donations/public/{tree.town.code}/")
    phone.wait_for_selector("[data-testid=totals]")
    assert _fits(phone)
    assert donation.number in phone.content()


def test_it_adds_goods_lines_without_leaving_the_form(phone, tree):
    roles_sync()
    helpers.catalogue()
    names = ["医用外科口罩", "防护服", "医用酒精", "大米", "N95口罩", "84消毒液"]
    goods = [Item.objects.get(name=name) for name in names]
    staff = factories.user("town_supplies", tree.town, "task_supplies")
    donor = helpers.enterprise(staff, credit_code="")
    login(phone, "town_supplies", factories.PASSWORD)
    phone.goto(f"{phone.base}/donations/new/")
    phone.select_option("#id_donor", str(donor.pk))
    # Four blank lines come with the form; two more are added in place.
    phone.click("[data-testid=add-line]")
    phone.click("[data-testid=add-line]")
    assert phone.locator("[data-lines] [data-line]").count() == 6
    assert _fits(phone)
    for index, item in enumerate(goods):
        phone.select_option(f"#id_lines-{index}-item", str(item.pk))
        phone.fill(f"#id_lines-{index}-quantity", str(10 + index))
    phone.click("[data-testid=save]")
    phone.wait_for_selector("[data-field=amount]")
    donation = Donation.objects.get()
    assert sorted(donation.lines.values_list("item__name", "quantity")) == sorted(
        (name, 10 + index) for index, name in enumerate(names)
    )
