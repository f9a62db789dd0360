"""The traveller's own pre-fill from the checkpoint's QR code (public) and the staff's
confirmation."""

import datetime

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from fangkong.checkpoints import services
from fangkong.checkpoints.models import Prefill, Registration, VehicleCheck
from fangkong.ledger.models import Push
from tests import factories


def start_url(checkpoint):
    return reverse("checkpoints:prefill_start", args=[services.qr_token(checkpoint)])


def traveller(index=0, **values):
    data = {
        "name": "李四",
        "id_number": factories.id_number("420106"),
        "phone": "13912345678",
        "origin": "湖北省武汉市",
        "destination_area": "370305003001001",
    }
    data.update(values)
    return {f"o{index}-{k}": v for k, v in data.items()}


def post(client, checkpoint, *people, plate="鲁C12345"):
    data = {"plate": plate, "vehicle_kind": "car", "o": [str(i) for i in range(len(people))]}
    for person in people:
        data.update(person)
    return client.post(start_url(checkpoint), data)


def test_it_keeps_an_entry_encrypted_and_shows_its_code(client, checkpoint):
    assert client.get(start_url(checkpoint)).status_code == 200
    response = post(client, checkpoint, traveller(0, name="甲"), traveller(1, name="乙"))
    assert response.status_code == 302
    prefill = Prefill.objects.get()
    assert prefill.occupant_count == 2 and prefill.plate == "鲁C12345"
    assert "甲" not in prefill.data_encrypted and prefill.id_number_masked
    assert prefill.expires_at - prefill.created_at >= datetime.timedelta(hours=23)
    page = client.get(response["Location"])
    assert page.status_code == 200 and prefill.code in page.content.decode()
    assert "<svg" in page.content.decode()
    assert not VehicleCheck.objects.exists() and not Push.objects.exists()


def test_it_refuses_bad_input_on_the_public_page(client, checkpoint):
    response = post(client, checkpoint, traveller(0, id_number="420106198001010011"))
    assert response.status_code == 400
    assert 'data-field-error="id_number"' in response.content.decode()
    assert not Prefill.objects.exists()


def test_it_answers_404_for_a_forged_old_or_closed_code(client, checkpoint):
    token = services.qr_token(checkpoint)
    forged = signing.Signer(salt="other").sign(f"{checkpoint.pk}.1")
    assert client.get(reverse("checkpoints:prefill_start", args=[forged])).status_code == 404
    assert client.get(reverse("checkpoints:prefill_start", args=["1.1:abc"])).status_code == 404
    services.checkpoint_renew_qr(actor=None, checkpoint=checkpoint)
    assert client.get(reverse("checkpoints:prefill_start", args=[token])).status_code == 404
    checkpoint.refresh_from_db()
    token = services.qr_token(checkpoint)
    checkpoint.is_open = False
    checkpoint.save()
    assert client.get(reverse("checkpoints:prefill_start", args=[token])).status_code == 404
    destinations = reverse("checkpoints:prefill_destinations", args=[forged])
    assert client.get(destinations, {"o0-destination_q": "tg"}).status_code == 404
    done = reverse("checkpoints:prefill_done", args=[forged, "ABCDEF"])
    assert client.get(done).status_code == 404


def test_it_answers_404_for_an_unknown_or_used_code(client, checkpoint):
    token = services.qr_token(checkpoint)
    assert (
        client.get(reverse("checkpoints:prefill_done", args=[token, "ZZZZZZ"])).status_code == 404
    )


def test_it_offers_the_districts_villages_on_the_public_page(client, checkpoint, tree):
    url = reverse("checkpoints:prefill_destinations", args=[services.qr_token(checkpoint)])
    html = client.get(url, {"o0-destination_q": "tg", "i": "0"}).content.decode()
    assert f'data-code="{tree.grid.code}"' in html


def test_it_limits_submissions_per_address(client, checkpoint, settings):
    settings.FANGKONG_PREFILL_RATE = 3
    for _ in range(3):
        assert post(client, checkpoint, traveller()).status_code == 302
    response = post(client, checkpoint, traveller())
    assert response.status_code == 429
    assert 'data-testid="rate-limited"' in response.content.decode()
    assert Prefill.objects.count() == 3
    # Another address is not limited.
    other = client.post(
        start_url(checkpoint),
        {"plate": "鲁C12345", "vehicle_kind": "car", "o": ["0"], **traveller()},
        REMOTE_ADDR="10.1.1.9",
    )
    assert other.status_code == 302


def test_staff_confirm_a_pre_filled_entry_with_temperatures(client, client_for, staff, checkpoint):
    post(client, checkpoint, traveller(0, name="甲"), traveller(1, name="乙"))
    prefill = Prefill.objects.get()
    staff_client = client_for(staff)
    register = reverse("checkpoints:checkpoint_register", args=[checkpoint.pk])
    page = staff_client.get(register, {"code": prefill.code.lower()})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="prefilled"' in html
    assert 'value="甲"' in html and 'value="乙"' in html
    data = {
        "plate": "鲁C12345",
        "vehicle_kind": "car",
        "idempotency_key": "pf-1",
        "prefill": prefill.code,
        "o": ["0", "1"],
    }
    for index in range(2):
        for field in ("name", "id_number", "phone", "origin", "destination_area"):
            data[f"o{index}-{field}"] = page.context["cards"][index]["values"][field]
        data[f"o{index}-temperature"] = "36.4"
        data[f"o{index}-outcome"] = "pass"
    assert staff_client.post(register, data).status_code == 302
    prefill.refresh_from_db()
    assert prefill.used_at is not None and prefill.vehicle_id == VehicleCheck.objects.get().pk
    assert Registration.objects.count() == 2 and Push.objects.count() == 2
    # Used: neither the staff nor the traveller's page find it again.
    assert staff_client.get(register, {"code": prefill.code}).context["prefill"] is None
    token = services.qr_token(checkpoint)
    assert (
        client.get(reverse("checkpoints:prefill_done", args=[token, prefill.code])).status_code
        == 404
    )


def test_staff_find_an_entry_by_the_id_number_on_the_card(client, client_for, staff, checkpoint):
    person = traveller()
    post(client, checkpoint, person)
    register = reverse("checkpoints:checkpoint_register", args=[checkpoint.pk])
    page = client_for(staff).get(register, {"code": person["o0-id_number"]})
    assert page.context["prefill"] == Prefill.objects.get()


def test_other_scopes_do_not_find_an_entry(client, client_for, users, checkpoint):
    post(client, checkpoint, traveller())
    code = Prefill.objects.get().code
    page = client_for(users.other_town).get(
        reverse("checkpoints:checkpoint_register", args=[checkpoint.pk]), {"code": code}
    )
    assert page.status_code == 404


def test_it_forgets_entries_after_a_day(checkpoint):
    old = services.prefill_create(
        checkpoint=checkpoint,
        plate="鲁C12345",
        vehicle_kind="car",
        occupants=[
            {
                "name": "甲",
                "id_number": factories.id_number("420106"),
                "origin": "武汉",
                "destination_area": "370305003001",
            }
        ],
        now=timezone.now() - datetime.timedelta(hours=25),
    )
    assert services.prefill_purge() == 1
    assert not Prefill.objects.filter(pk=old.pk).exists()
