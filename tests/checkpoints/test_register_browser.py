"""The registration page in Chromium on a 375 px phone: one hand, one car, three persons."""

import pytest

from fangkong.checkpoints.models import Registration, VehicleCheck
from fangkong.ledger.models import Push
from fangkong.people.services import person_reveal_value
from tests import factories
from tests.browser.fixtures import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_registers_a_car_by_taps(phone, tree, users, staff, checkpoint):  # noqa: F811
    known = factories.person(tree.grid, "王五")
    login(phone, "guard", factories.PASSWORD)
    phone.goto(f"{phone.base}/checkpoints/{checkpoint.pk}/register/")
    phone.fill("#id_plate", "鲁c12345")
    phone.wait_for_selector("[data-plate-region]")
    assert "淄博" in phone.inner_text("#plate-hint")
    # The plate's region becomes the origin of persons who have none yet.
    assert "淄博" in phone.input_value("#o0-origin")
    phone.fill("#o0-origin", "湖北省武汉市")
    phone.fill("#o0-id_number", person_reveal_value(known, "id_number"))
    phone.wait_for_selector("#o0-idinfo [data-known-name]")
    assert phone.input_value("#o0-name") == "王五"
    for key in ("36.", "6"):
        phone.click(f"[data-occupant='0'] [data-key='{key}']")
    assert phone.input_value("#o0-temperature") == "36.6"
    phone.fill("#o0-destination_q", "tg")
    phone.click("[data-occupant='0'] .fk-destination-option >> nth=0")
    phone.click("#fk-add-occupant")
    card = "[data-occupant='1']"
    phone.fill("#o1-id_number", factories.id_number("420106"))
    phone.fill("#o1-name", "发热者")
    phone.fill("#o1-temperature", "38.1")
    assert phone.is_checked("#o1-outcome-fever_referral")
    phone.fill(f"{card} [data-field=destination_address]", "山东省淄博市张店区")
    phone.click("[data-testid=submit]")
    phone.wait_for_selector("[data-testid=last]")
    vehicle = VehicleCheck.objects.get()
    assert vehicle.plate == "鲁C12345"
    names = dict(Registration.objects.values_list("name", "outcome"))
    assert names == {"王五": "pass", "发热者": "fever_referral"}
    assert Registration.objects.get(name="王五").person_id == known.pk
    assert Push.objects.get().area_id.startswith("370305003001")
