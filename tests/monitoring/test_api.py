from django.urls import reverse
from django.utils import timezone

from fangkong.monitoring import services
from fangkong.monitoring.models import HealthLog

LOGS = reverse("api-healthlog-list")


def post(client, data):
    return client.post(LOGS, data, content_type="application/json")


def test_staff_post_a_log_and_bad_input_is_refused(client_for, users, kp):
    client = client_for(users.grid)
    assert post(client, {"key_person": kp.pk, "slot": "am", "temperature": "x"}).status_code == 400
    future = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    response = post(
        client, {"key_person": kp.pk, "slot": "am", "temperature": "36.5", "date": future}
    )
    assert response.status_code == 400 and "date" in response.json()["extra"]["fields"]
    response = post(client, {"key_person": kp.pk, "slot": "am", "temperature": "36.5"})
    assert response.status_code == 201 and response.json()["temperature"] == "36.5"
    assert client.get(LOGS).json()["count"] == 1


def test_api_permission_matrix(client_for, users, kp):
    for user in (users.outsider, users.other_town, users.norole, users.command):
        response = post(
            client_for(user), {"key_person": kp.pk, "slot": "am", "temperature": "36.5"}
        )
        assert response.status_code == 404
    assert not HealthLog.objects.exists()


def test_alerts_and_samples_are_listed_in_scope(client_for, users, kp):
    services.healthlog_record(actor=None, key_person=kp, slot="am", temperature="38.2")
    sample = services.sample_create(
        actor=None, key_person=kp, sample_no="S1", sampled_on=timezone.localdate()
    )
    client = client_for(users.command)
    alerts = client.get(reverse("api-alert-list")).json()["results"]
    assert [a["kind"] for a in alerts] == ["fever"]
    assert client.get(reverse("api-sample-detail", args=[sample.pk])).json()["result"] == "pending"
    outsider = client_for(users.outsider)
    assert outsider.get(reverse("api-alert-list")).json()["results"] == []
    assert outsider.get(reverse("api-sample-detail", args=[sample.pk])).status_code == 404
