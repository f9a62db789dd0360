import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from fangkong.ledger.models import KeyPerson
from fangkong.monitoring import selectors, services
from fangkong.monitoring.models import HealthLog
from tests.monitoring.conftest import key_person

TODAY = timezone.localdate


def days_ago(n):
    return TODAY() - datetime.timedelta(days=n)


def normal_logs(kp, days=(1, 2), temperature="36.5"):
    for n in days:
        for slot in ("am", "pm"):
            HealthLog.objects.create(
                key_person=kp,
                area_id=kp.area_id,
                date=days_ago(n),
                slot=slot,
                temperature=temperature,
                via="staff",
            )


def due(tree, name="甲", category="other", **kwargs):
    kp = key_person(tree.grid, name, category=category, days_ago=14)
    normal_logs(kp, **kwargs)
    return kp


def test_the_due_list_applies_every_rule(users, tree):
    ok = due(tree, "合格")
    due(tree, "缺报", days=(1,))
    fever = due(tree, "发热")
    HealthLog.objects.filter(key_person=fever, date=days_ago(1), slot="pm").update(
        temperature="37.5"
    )
    key_person(tree.grid, "未满", days_ago=5)
    needs_test = due(tree, "需核酸", category="close_contact")
    assert [kp.pk for kp in selectors.release_due(user=users.village)] == [ok.pk]
    # A negative test sampled too early does not count, one in the last 3 days does.
    early = services.sample_create(
        actor=None, key_person=needs_test, sample_no="E1", sampled_on=days_ago(5)
    )
    services.sample_record_result(actor=None, sample=early, result="negative", result_on=TODAY())
    assert needs_test not in selectors.release_due(user=users.village)
    late = services.sample_create(
        actor=None, key_person=needs_test, sample_no="L1", sampled_on=needs_test.period_end
    )
    services.sample_record_result(actor=None, sample=late, result="negative", result_on=TODAY())
    assert {kp.pk for kp in selectors.release_due(user=users.village)} == {ok.pk, needs_test.pk}
    assert selectors.release_due(user=users.other_town) == []


def test_release_check_agrees_with_the_list(users, tree):
    ok, missing = due(tree, "合格"), due(tree, "缺报", days=(2,))
    assert services.release_check(key_person=ok) == []
    assert services.release_check(key_person=missing)
    with pytest.raises(ValidationError):
        services.release_confirm(actor=users.village, key_person=missing)
    missing.refresh_from_db()
    assert missing.state == KeyPerson.State.MANAGED


def test_the_due_list_costs_two_queries_whatever_its_size(users, tree):
    due(tree, "甲", category="close_contact")
    with CaptureQueriesContext(connection) as few:
        selectors.release_due_ids(user=users.town)
    for n in range(6):
        due(tree, f"乙{n}", category="close_contact" if n % 2 else "other")
    with CaptureQueriesContext(connection) as many:
        assert len(selectors.release_due_ids(user=users.town)) == 3
    assert len(few) == len(many) == 2


def test_release_from_the_page_and_the_notice(client, users, tree):
    kp = due(tree, "合格")
    url = reverse("monitoring:release_confirm", args=[kp.pk])
    for user in (users.outsider, users.other_town, users.norole, users.grid, users.command):
        client.force_login(user)
        assert client.post(url).status_code == 404
    kp.refresh_from_db()
    assert kp.state == KeyPerson.State.MANAGED
    client.force_login(users.village)
    assert "合格" in client.get(reverse("monitoring:release_list")).content.decode()
    notice = reverse("monitoring:release_notice", args=[kp.pk])
    assert client.get(notice).status_code == 404  # not released yet
    assert client.post(url).status_code == 302
    kp.refresh_from_db()
    assert kp.state == KeyPerson.State.RELEASED and kp.release_notice_no.startswith("370305-")
    response = client.get(notice)
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "解除医学观察通知书" in text and kp.release_notice_no in text
    assert "辛店街道" in text and "合格" in text
    assert kp.person.id_number_masked in text
    page = client.get(reverse("monitoring:keyperson", args=[kp.pk])).content.decode()
    assert 'data-testid="notice"' in page
    client.force_login(users.other_town)
    assert client.get(notice).status_code == 404
