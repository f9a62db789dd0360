import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fangkong.monitoring import services
from fangkong.monitoring.models import FollowUp


def test_first_then_later_follow_ups(kp, doctor):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.followup_create(actor=doctor, key_person=kp, kind="later", visited_on=today)
    with pytest.raises(ValidationError):
        services.followup_create(actor=doctor, key_person=kp, kind="first", visited_on=today)
    services.followup_create(
        actor=doctor, key_person=kp, kind="first", visited_on=today, notice_delivered=True
    )
    with pytest.raises(ValidationError):
        services.followup_create(
            actor=doctor, key_person=kp, kind="first", visited_on=today, notice_delivered=True
        )
    with pytest.raises(ValidationError):
        services.followup_create(
            actor=doctor, key_person=kp, kind="later", visited_on=today + datetime.timedelta(1)
        )
    services.followup_create(actor=doctor, key_person=kp, kind="later", visited_on=today)
    assert FollowUp.objects.count() == 2


def test_followup_page_permission_matrix(client, users, kp, doctor):
    url = reverse("monitoring:followup_create", args=[kp.pk])
    payload = {"kind": "first", "visited_on": timezone.localdate(), "notice_delivered": "on"}
    for user in (users.outsider, users.other_town, users.norole, users.grid, users.command):
        client.force_login(user)
        assert client.post(url, payload).status_code == 404
    assert not FollowUp.objects.exists()
    client.force_login(doctor)
    assert client.post(url, {**payload, "notice_delivered": ""}).status_code == 400
    assert client.post(url, payload).status_code == 302
    page = client.get(reverse("monitoring:keyperson", args=[kp.pk]))
    assert page.status_code == 200 and 'data-testid="link"' in page.content.decode()
