import datetime

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from fangkong.ledger import services as ledger
from fangkong.monitoring import links
from fangkong.monitoring.models import Alert, HealthLog


def url(token):
    return reverse("monitoring:health_link", args=[token])


def test_it_shows_the_first_name_and_todays_slots_without_login(client, kp):
    response = client.get(url(links.link_token(kp)))
    body = response.content.decode()
    assert response.status_code == 200
    assert "五" in body and "王五" not in body
    assert kp.person.id_number_masked not in body
    assert 'data-slot="am"' in body and 'data-slot="pm"' in body


def test_the_person_logs_twice_and_a_fever_alerts(client, kp):
    token = links.link_token(kp)
    assert client.post(url(token), {"slot": "am", "temperature": "36.4"}).status_code == 200
    assert client.post(url(token), {"slot": "pm", "temperature": "37.5"}).status_code == 200
    assert set(HealthLog.objects.values_list("slot", "via")) == {("am", "self"), ("pm", "self")}
    assert Alert.objects.get().kind == "fever"


def test_it_refuses_bad_input_and_a_second_report(client, kp):
    token = links.link_token(kp)
    for value in ("abc", "45", "33"):
        response = client.post(url(token), {"slot": "am", "temperature": value})
        assert response.status_code == 400
        assert 'data-field-error="temperature"' in response.content.decode()
    client.post(url(token), {"slot": "am", "temperature": "36.4"})
    response = client.post(url(token), {"slot": "am", "temperature": "36.6"})
    assert response.status_code == 400
    assert str(HealthLog.objects.get().temperature) == "36.4"


def assert_refused(client, token):
    for response in (
        client.get(url(token)),
        client.post(url(token), {"slot": "am", "temperature": "36.5"}),
    ):
        assert response.status_code == 404
        assert 'data-testid="invalid-link"' in response.content.decode()
    assert not HealthLog.objects.exists()


def test_a_forged_or_tampered_token_is_404(client, kp):
    token = links.link_token(kp)
    assert_refused(client, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    assert_refused(client, signing.dumps({"k": kp.pk, "v": kp.link_version}, salt="other"))
    assert_refused(client, "garbage")


def test_an_expired_token_is_404(client, kp, monkeypatch):
    token = links.link_token(kp)
    later = timezone.now() + datetime.timedelta(days=(kp.period_end - kp.period_start).days + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert links.key_person_for_token(token) is None
    assert_refused(client, token)


def test_it_works_through_the_day_after_the_period(kp):
    token = links.link_token(kp)
    assert links.key_person_for_token(token, today=kp.period_end + datetime.timedelta(days=1))
    assert not links.key_person_for_token(token, today=kp.period_end + datetime.timedelta(days=2))


def test_a_token_of_a_person_no_longer_managed_is_404(client, kp):
    token = links.link_token(kp)
    ledger.keyperson_transition(actor=None, key_person=kp, to_state="lost", reason="电话不通")
    assert_refused(client, token)


def test_the_api_twin(client, kp):
    token = links.link_token(kp)
    api = reverse("api-healthlink", args=[token])
    assert client.get(api).json()["first_name"] == "五"
    response = client.post(
        api, {"slot": "am", "temperature": "abc"}, content_type="application/json"
    )
    assert response.status_code == 400 and "temperature" in response.json()["extra"]["fields"]
    response = client.post(
        api, {"slot": "am", "temperature": "36.5"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["via"] == "self"
    bad = reverse("api-healthlink", args=[token + "x"])
    assert (
        client.post(
            bad, {"slot": "pm", "temperature": "36.5"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert HealthLog.objects.count() == 1
