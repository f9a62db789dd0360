import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fangkong.inbox.models import Notification
from fangkong.ledger.models import KeyPerson
from fangkong.monitoring import services
from fangkong.monitoring.models import Alert
from tests.monitoring.conftest import key_person
from tests.ui.queries import queries_for


def fever(kp, temperature="38.0"):
    services.healthlog_record(actor=None, key_person=kp, slot="am", temperature=temperature)
    return Alert.objects.get(key_person=kp)


def test_refer_then_exclude_keeps_the_person_under_observation(kp, doctor):
    alert = fever(kp)
    services.alert_refer(actor=doctor, alert=alert, referred_to="区人民医院发热门诊")
    alert = services.alert_record_outcome(actor=doctor, alert=alert, outcome="excluded")
    assert alert.state == "closed" and alert.referred_to == "区人民医院发热门诊"
    kp.refresh_from_db()
    assert kp.state == KeyPerson.State.MANAGED
    assert not Notification.objects.filter(target_type="alert", resolved_at__isnull=True).exists()


def test_a_suspected_case_refers_the_key_person(kp, doctor):
    alert = fever(kp)
    services.alert_record_outcome(actor=doctor, alert=alert, outcome="suspected", note="CT异常")
    kp.refresh_from_db()
    assert kp.state == KeyPerson.State.REFERRED
    assert kp.events.last().to_state == "referred"


def test_it_refuses_actions_on_a_closed_alert_and_out_of_scope(kp, doctor, users):
    alert = fever(kp)
    with pytest.raises(ValidationError):
        services.alert_refer(actor=users.other_town, alert=alert, referred_to="x")
    with pytest.raises(ValidationError):
        services.alert_close(actor=doctor, alert=alert, note="  ")
    services.alert_close(actor=doctor, alert=alert, note="复测正常")
    with pytest.raises(ValidationError):
        services.alert_record_outcome(actor=doctor, alert=alert, outcome="excluded")


def test_the_list_puts_open_alerts_first(client_for, users, tree, doctor):
    first = fever(key_person(tree.grid, "甲"))
    services.alert_close(actor=doctor, alert=first, note="复测正常")
    second = fever(key_person(tree.grid, "乙"), "37.4")
    response = client_for(users.town).get(reverse("monitoring:alert_list"))
    assert [a.pk for a in response.context["page_obj"]] == [second.pk, first.pk]


def test_the_list_costs_the_same_for_few_or_many(client_for, users, tree):
    client = client_for(users.town)
    fever(key_person(tree.grid, "甲"))
    url = reverse("monitoring:alert_list")
    few = queries_for(client, url)
    for n in range(6):
        fever(key_person(tree.grid2, f"乙{n}"))
    assert queries_for(client, url) == few


def test_detail_and_actions_permission_matrix(client, users, kp, doctor):
    alert = fever(kp)
    detail = reverse("monitoring:alert_detail", args=[alert.pk])
    refer = reverse("monitoring:alert_refer", args=[alert.pk])
    for user in (users.outsider, users.other_town, users.norole):
        client.force_login(user)
        assert client.get(detail).status_code == 404
        assert client.post(refer, {"referred_to": "x"}).status_code == 404
    # The command sees the alert but does not handle it.
    client.force_login(users.command)
    assert client.get(detail).status_code == 200
    assert client.post(refer, {"referred_to": "x"}).status_code == 404
    alert.refresh_from_db()
    assert alert.state == "open"
    client.force_login(doctor)
    assert client.post(refer, {"referred_to": "发热门诊"}).status_code == 302
    outcome = reverse("monitoring:alert_outcome", args=[alert.pk])
    assert client.post(outcome, {"outcome": "other"}).status_code == 400
    assert client.post(outcome, {"outcome": "confirmed"}).status_code == 302
    alert.refresh_from_db()
    assert (alert.state, alert.outcome) == ("closed", "confirmed")
