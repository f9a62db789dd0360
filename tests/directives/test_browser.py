"""A village worker signs for and answers a directive on a 375 px phone."""

import pytest

from fangkong.directives.models import Feedback, Recipient
from tests import factories
from tests.browser.fixtures import login
from tests.directives import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_signs_and_answers_on_a_phone(phone, tree, users, tmp_path):
    directive = helpers.directive(users.command, [tree.village], files=[helpers.pdf("方案.pdf")])
    login(phone, "village", factories.PASSWORD)
    phone.goto(f"{phone.base}/directives/received/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.click(f"text={directive.title}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.click("[data-testid=sign]")
    phone.wait_for_selector("[data-signed]")
    upload = tmp_path / "反馈表.pdf"
    upload.write_bytes(helpers.PDF)
    phone.fill("#id_text", "本村已排查完毕")
    phone.set_input_files("#id_files", str(upload))
    phone.click("[data-testid=feedback-form] button[type=submit]")
    phone.wait_for_selector("[data-testid=feedbacks]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    unit = Recipient.objects.get(directive=directive)
    assert unit.signed_by == users.village
    feedback = Feedback.objects.get()
    assert feedback.text == "本村已排查完毕" and feedback.attachments.get().name == "反馈表.pdf"
