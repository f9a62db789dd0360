"""The village's form on a 375 px phone: fits the screen, asks for a reason as soon as a
computed figure is changed, and submits."""

import pytest

from fangkong.reporting.models import DailyReport
from tests import factories
from tests.browser.fixtures import login
from tests.ledger import helpers as ledger

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_fills_in_the_report_on_a_phone(phone, tree, users):
    ledger.key_person(tree.grid, "甲")
    login(phone, "village", factories.PASSWORD)
    phone.goto(f"{phone.base}/reporting/unit/{tree.village.code}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    reason = phone.locator('[data-reason-for="new_returnees"]')
    assert reason.is_hidden()
    phone.fill("input[name=new_returnees]", "2")
    assert reason.is_visible()
    phone.fill("input[name=new_returnees_reason]", "另有一人未入台账")
    phone.fill("textarea[name=narrative]", "平稳")
    phone.click('[data-testid="submit"]')
    phone.wait_for_url("**/reporting/reports/**")
    report = DailyReport.objects.get()
    assert report.new_returnees == 2
    assert report.corrections["new_returnees"]["computed"] == 1


def test_the_zero_report_is_one_tap_on_a_phone(phone, tree, users):
    login(phone, "village", factories.PASSWORD)
    phone.goto(f"{phone.base}/reporting/unit/{tree.village.code}/")
    phone.click('[data-testid="zero"]')
    phone.wait_for_url("**/reporting/reports/**")
    assert DailyReport.objects.get().is_zero
