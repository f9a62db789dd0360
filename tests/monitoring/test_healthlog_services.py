import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.inbox.models import Notification
from fangkong.ledger import services as ledger
from fangkong.monitoring import services
from fangkong.monitoring.models import Alert, HealthLog


def record(kp, actor=None, **kwargs):
    kwargs.setdefault("slot", "am")
    kwargs.setdefault("temperature", "36.5")
    return services.healthlog_record(actor=actor, key_person=kp, **kwargs)


def test_it_records_a_normal_log_without_alert(kp, users):
    log = record(kp, users.grid)
    assert log.temperature == Decimal("36.5") and log.area_id == kp.area_id
    assert log.via == HealthLog.Via.STAFF and log.recorded_by == users.grid
    assert not Alert.objects.exists()


@pytest.mark.parametrize("value", ["33.9", "43.1", "abc", "", "36.55", "nan", "inf", None])
def test_it_refuses_bad_temperatures(kp, value):
    with pytest.raises(ValidationError) as exc:
        record(kp, temperature=value)
    assert "temperature" in exc.value.message_dict
    assert not HealthLog.objects.exists()


@pytest.mark.parametrize("value", ["34.0", "43.0", "36", " 37,2 "])
def test_it_accepts_the_edges_and_a_comma(kp, value):
    assert record(kp, temperature=value).temperature == services.parse_temperature(value)


def test_it_refuses_a_future_date(kp):
    with pytest.raises(ValidationError) as exc:
        record(kp, date=timezone.localdate() + datetime.timedelta(days=1))
    assert exc.value.message_dict.keys() == {"date"}
    assert not HealthLog.objects.exists()


def test_it_refuses_a_slot_not_yet_open(kp, settings):
    settings.FANGKONG_LOG_SLOTS = "am=00:00-00:01,pm=23:58-23:59"
    now = timezone.localtime().replace(hour=9, minute=0)
    with pytest.raises(ValidationError):
        record(kp, slot="pm", now=now)
    assert record(kp, slot="am", now=now).slot == "am"


def test_it_refuses_a_log_before_the_period(kp):
    with pytest.raises(ValidationError):
        record(kp, date=kp.period_start - datetime.timedelta(days=1))


def test_it_refuses_a_released_or_referred_person(kp, users):
    ledger.keyperson_transition(actor=None, key_person=kp, to_state="referred", reason="送医")
    with pytest.raises(ValidationError) as exc:
        record(kp)
    assert exc.value.error_dict["key_person"][0].code == "not_managed"
    assert not HealthLog.objects.exists()


def test_it_refuses_a_second_report_of_a_slot_but_lets_staff_correct(kp, users):
    record(kp, users.grid, temperature="36.5")
    with pytest.raises(ValidationError) as exc:
        record(kp, users.grid, temperature="36.8")
    assert exc.value.error_dict["slot"][0].code == "duplicate"
    with pytest.raises(ValidationError):
        record(kp, None, temperature="36.8", via="self", correction_reason="x")
    log = record(kp, users.grid, temperature="36.8", correction_reason="读数错误")
    assert HealthLog.objects.count() == 1
    assert log.temperature == Decimal("36.8") and log.correction_reason == "读数错误"
    assert "36.5" in log.note


def test_it_refuses_staff_outside_the_scope(kp, users):
    with pytest.raises(ValidationError):
        record(kp, users.other_town)


def test_a_fever_raises_a_high_alert_to_doctor_and_town(kp, users, doctor):
    record(kp, users.grid, temperature="37.6", symptoms=["cough"])
    alert = Alert.objects.get()
    assert (alert.kind, alert.level, alert.key_person_id) == ("fever", 2, kp.pk)
    assert alert.temperature == Decimal("37.6")
    told = set(
        Notification.objects.filter(target_type="alert", target_id=str(alert.pk)).values_list(
            "user__username", flat=True
        )
    )
    assert {"doctor", "town"} <= told
    assert "grid" not in told and "other_town" not in told


def test_symptoms_without_fever_raise_a_normal_alert(kp):
    record(kp, temperature="36.6", symptoms=["fatigue", "cough"])
    alert = Alert.objects.get()
    assert (alert.kind, alert.level) == ("symptoms", 3)
    assert HealthLog.objects.get().symptoms == "cough,fatigue"


def test_it_refuses_unknown_symptoms(kp):
    with pytest.raises(ValidationError):
        record(kp, symptoms=["plague"])


def test_the_threshold_is_a_setting(kp, settings):
    settings.FANGKONG_FEVER_THRESHOLD = 37.0
    record(kp, temperature="37.0")
    assert Alert.objects.get().kind == "fever"
