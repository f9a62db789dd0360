import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fangkong.core.services import Origin
from fangkong.core.transfer import registry
from fangkong.core.transfer.imports import import_workbook
from fangkong.inbox.models import Notification
from fangkong.monitoring import services
from fangkong.monitoring.models import Alert, Sample
from tests.monitoring.conftest import key_person

TODAY = timezone.localdate


def sample(kp, number="S001", **fields):
    fields.setdefault("sampled_on", TODAY())
    return services.sample_create(
        actor=None, key_person=kp, sample_no=number, lab="区疾控", **fields
    )


def test_a_positive_result_raises_the_highest_alert_to_town_and_command(kp, users, doctor):
    s = sample(kp)
    services.sample_record_result(actor=doctor, sample=s, result="positive", result_on=TODAY())
    alert = Alert.objects.get()
    assert (alert.kind, alert.level) == ("positive", 1)
    told = set(
        Notification.objects.filter(target_type="alert").values_list("user__username", flat=True)
    )
    assert {"town", "command", "doctor"} <= told
    assert "outsider" not in told and "other_town" not in told


def test_it_refuses_bad_samples_and_results(kp, doctor):
    s = sample(kp)
    with pytest.raises(ValidationError):
        sample(kp)  # same number
    with pytest.raises(ValidationError):
        sample(kp, "S002", sampled_on=TODAY() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.sample_record_result(
            actor=doctor, sample=s, result="negative", result_on=TODAY() + datetime.timedelta(1)
        )
    services.sample_record_result(actor=doctor, sample=s, result="negative", result_on=TODAY())
    with pytest.raises(ValidationError):
        services.sample_record_result(actor=doctor, sample=s, result="positive", result_on=TODAY())
    assert Sample.objects.get().result == "negative" and not Alert.objects.exists()


def workbook(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["样本编号", "检测结果", "检测日期", "检测机构"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(data, user):
    return import_workbook(
        registry.importer("lab-results"),
        io.BytesIO(data),
        actor=user,
        scope=user.scope,
        origin=Origin(ip_address="10.0.0.1", user_agent="test"),
        label="results.xlsx",
    )


def test_the_lab_import_enters_results_and_alerts_on_positive(tree, users):
    a, b = key_person(tree.grid, "甲"), key_person(tree.grid2, "乙")
    sample(a, "S1"), sample(b, "S2")
    day = TODAY().isoformat()
    result = run(workbook([["S1", "阴性", day, "金域"], ["S2", "阳性", day, ""]]), users.town)
    assert result.ok and result.created == 2
    assert dict(Sample.objects.values_list("sample_no", "result")) == {
        "S1": "negative",
        "S2": "positive",
    }
    assert Sample.objects.get(sample_no="S1").lab == "金域"
    assert Alert.objects.get().key_person_id == b.pk


def test_the_lab_import_reports_unknown_numbers_and_writes_nothing(tree, users):
    sample(key_person(tree.grid, "甲"), "S1")
    sample(key_person(tree.other_grid, "外"), "S9")
    day = TODAY().isoformat()
    future = (TODAY() + datetime.timedelta(days=1)).isoformat()
    rows = [
        ["S1", "阴性", day, ""],
        ["S404", "阴性", day, ""],
        ["S9", "阳性", day, ""],  # another town's sample is unknown here
        ["S1", "阳性", day, ""],
        ["S1", "不明", future, ""],
    ]
    result = run(workbook(rows), users.town)
    assert {e.row for e in result.errors} == {3, 4, 5, 6}
    assert "样本编号" in {e.column for e in result.errors if e.row == 3}
    assert not Sample.objects.exclude(result="pending").exists()
    assert not Alert.objects.exists()


def test_sample_pages_permission_matrix(client, users, kp, doctor):
    create = reverse("monitoring:sample_create", args=[kp.pk])
    payload = {"sample_no": "S7", "sampled_on": TODAY().isoformat()}
    for user in (users.outsider, users.other_town, users.norole, users.command, users.grid):
        client.force_login(user)
        assert client.post(create, payload).status_code == 404
    assert not Sample.objects.exists()
    client.force_login(doctor)
    assert client.post(create, payload).status_code == 302
    s = Sample.objects.get()
    result = reverse("monitoring:sample_result", args=[s.pk])
    client.force_login(users.other_town)
    assert client.post(result, {"result": "positive", "result_on": TODAY()}).status_code == 404
    client.force_login(doctor)
    assert client.get(reverse("monitoring:sample_list")).status_code == 200
    assert client.post(result, {"result": "positive", "result_on": TODAY()}).status_code == 302
    assert Alert.objects.get().kind == "positive"
