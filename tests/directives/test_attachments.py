"""Attachment downloads: only for those who see the directive, with the Chinese name kept."""

from urllib.parse import quote

from django.urls import reverse

from fangkong.directives import services
from fangkong.directives.models import Attachment
from tests.directives import helpers


def test_downloads_keep_the_chinese_name(client_for, users, tree):
    directive = helpers.directive(
        users.command, [tree.village], files=[helpers.pdf("防控方案.pdf")]
    )
    attachment = directive.attachments.get()
    response = client_for(users.village).get(
        reverse("directives:attachment_download", args=[attachment.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == helpers.PDF
    assert quote("防控方案.pdf") in response["Content-Disposition"]


def test_who_may_download(client_for, users, tree):
    directive = helpers.directive(users.command, [tree.town, tree.village], files=[helpers.pdf()])
    unit = helpers.recipient(directive, tree.village)
    services.recipient_sign(actor=users.village, recipient=unit)
    services.feedback_submit(
        actor=users.village, recipient=unit, text="见附件", files=[helpers.pdf("村反馈.pdf")]
    )
    own = reverse(
        "directives:attachment_download", args=[directive.attachments.get(feedback=None).pk]
    )
    answer = Attachment.objects.get(feedback__isnull=False)
    feedback_url = reverse("directives:attachment_download", args=[answer.pk])
    own_found = helpers.statuses(client_for, helpers.matrix(users), own)
    assert own_found == {
        "outsider": 404,
        "other_town": 404,
        "norole": 404,
        "grid": 404,
        "village": 200,
        "town": 200,
        "command": 200,
    }
    # A unit's feedback files are for the sender and that unit, not for the other units.
    feedback_found = helpers.statuses(client_for, helpers.matrix(users), feedback_url)
    assert feedback_found == {**own_found, "town": 404}


def test_a_drafts_file_is_removed_by_its_sender(
    client_for, users, tree, settings, django_capture_on_commit_callbacks
):
    draft = helpers.directive(users.command, [tree.town], send=False, files=[helpers.pdf()])
    attachment = draft.attachments.get()
    path = settings.MEDIA_ROOT / attachment.file.name
    url = reverse("directives:attachment_remove", args=[attachment.pk])
    for name in ("outsider", "other_town", "norole", "town"):
        assert client_for(getattr(users, name)).post(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(users.command).post(url).status_code == 302
    assert not Attachment.objects.exists()
    assert not path.exists()
