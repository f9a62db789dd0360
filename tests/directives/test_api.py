"""The directives API: sender list/detail, recipient list/detail, sign and feedback."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from fangkong.directives.models import Attachment, Feedback, Recipient
from tests.directives import helpers

SENT = "/api/v1/directives/"
RECEIVED = "/api/v1/directives/received/"


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dir"}
    }
    cache.clear()


@pytest.fixture
def api_for():
    def login(user):
        client = APIClient()
        client.force_login(user)
        return client

    return login


def test_the_sender_lists_with_progress(api_for, users, tree, sent):
    data = api_for(users.command).get(SENT).json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["number"] == sent.number and row["recipient_total"] == 2
    assert row["signed_total"] == 0
    detail = api_for(users.command).get(f"{SENT}{sent.pk}/").json()
    assert {r["area"] for r in detail["recipients"]} == {tree.town.code, tree.village.code}
    for user in (users.outsider, users.other_town, users.village, users.norole):
        assert api_for(user).get(f"{SENT}{sent.pk}/").status_code == 404
    assert api_for(users.other_town).get(SENT).json()["count"] == 0


def test_the_sender_list_is_pinned(api_for, users, tree, django_assert_max_num_queries):
    for n in range(5):
        helpers.directive(users.command, [tree.town, tree.village], title=f"通知{n}")
    client = api_for(users.command)
    with django_assert_max_num_queries(8):
        assert client.get(SENT).json()["count"] == 5


def test_a_unit_signs_and_answers(api_for, users, tree, sent):
    client = api_for(users.village)
    rows = client.get(RECEIVED).json()["results"]
    assert [r["unit"] for r in rows] == [tree.village.code]
    pk = rows[0]["id"]
    response = client.post(f"{RECEIVED}{pk}/feedback/", {"text": "未签收先反馈"})
    assert response.status_code == 400
    assert "text" in response.json()["extra"]["fields"]
    signed = client.post(f"{RECEIVED}{pk}/sign/")
    assert signed.status_code == 200 and signed.json()["signed_at"]
    assert client.post(f"{RECEIVED}{pk}/sign/").status_code == 400
    response = client.post(
        f"{RECEIVED}{pk}/feedback/",
        {"text": "已完成", "files": [helpers.pdf("反馈.pdf")]},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["attachments"][0]["name"] == "反馈.pdf"
    detail = client.get(f"{RECEIVED}{pk}/").json()
    assert detail["feedbacks"][0]["text"] == "已完成"


def test_bad_files_are_refused(api_for, users, tree, sent):
    unit = helpers.recipient(sent, tree.village)
    client = api_for(users.village)
    client.post(f"{RECEIVED}{unit.pk}/sign/")
    response = client.post(
        f"{RECEIVED}{unit.pk}/feedback/",
        {"text": "x", "files": [helpers.pdf("x.exe", b"MZ")]},
        format="multipart",
    )
    assert response.status_code == 400 and "files" in response.json()["extra"]["fields"]
    assert not Feedback.objects.exists() and not Attachment.objects.exists()


def test_others_get_404_and_change_nothing(api_for, users, tree, sent):
    unit = helpers.recipient(sent, tree.village)
    for user in (users.outsider, users.other_town, users.norole, users.town, users.command):
        client = api_for(user)
        assert client.get(f"{RECEIVED}{unit.pk}/").status_code == 404
        assert client.post(f"{RECEIVED}{unit.pk}/sign/").status_code == 404
        assert client.post(f"{RECEIVED}{unit.pk}/feedback/", {"text": "x"}).status_code == 404
    assert not Recipient.objects.filter(signed_at__isnull=False).exists()
    assert not Feedback.objects.exists()
