"""The sender's pages: the sent list, compose, the detail with its recipient table, reminders."""

import re

from django.urls import reverse
from django.utils import timezone

from fangkong.directives import services
from fangkong.directives.models import Attachment, Directive, Recipient
from fangkong.inbox.models import Notification
from tests.directives import helpers
from tests.ui.queries import queries_for

LIST = reverse("directives:sent_list")
NEW = reverse("directives:create")


def _form(tree, **extra):
    data = {
        "kind": "notice",
        "title": "关于做好节后返岗人员排查的通知",
        "body": "请各街道做好排查。",
        "deadline": timezone.localtime(helpers.in_days()).strftime("%Y-%m-%dT%H:%M"),
        "units": [tree.town.code, tree.village.code],
        "roles": ["town_admin", "village_staff"],
        "send": "1",
    }
    data.update(extra)
    return data


def test_the_sent_list_shows_progress(client_for, users, tree, sent):
    services.recipient_sign(actor=users.town, recipient=helpers.recipient(sent, tree.town))
    body = client_for(users.command).get(LIST).content.decode()
    row = body[body.index(f'data-id="{sent.pk}"') :]
    assert re.search(r'data-col="signed">1/2<', row)
    assert re.search(r'data-col="answered">0/2<', row)
    assert sent.number in body


def test_the_sent_list_matrix(client_for, users, sent):
    found = helpers.statuses(client_for, helpers.matrix(users), LIST)
    assert found == {
        "outsider": 200,
        "other_town": 200,
        "norole": 404,
        "grid": 404,
        "village": 404,
        "town": 200,
        "command": 200,
    }
    assert sent.title not in client_for(users.outsider).get(LIST).content.decode()
    assert sent.title not in client_for(users.other_town).get(LIST).content.decode()
    # A town sees what the town sends, not what the district sends to it.
    assert sent.title not in client_for(users.town).get(LIST).content.decode()


def test_the_sent_list_costs_the_same_for_1_or_10(
    client_for, users, tree, django_assert_max_num_queries
):
    client = client_for(users.command)
    helpers.directive(users.command, [tree.town])
    few = queries_for(client, LIST)
    for n in range(9):
        helpers.directive(
            users.command, [tree.town, tree.village, tree.other_town], title=f"通知{n}"
        )
    with django_assert_max_num_queries(10):
        many = queries_for(client, LIST)
    assert few == many


def test_it_composes_and_sends(client_for, users, tree):
    client = client_for(users.command)
    page = client.get(NEW)
    assert page.status_code == 200 and tree.village.name in page.content.decode()
    data = _form(tree, files=[helpers.pdf("方案.pdf")])
    response = client.post(NEW, data)
    directive = Directive.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("directives:detail", args=[directive.pk])
    assert directive.state == "sent" and directive.recipients.count() == 2
    assert directive.attachments.get().name == "方案.pdf"
    assert Notification.objects.filter(user__in=[users.town, users.village]).count() == 2


def test_all_villages_in_one_tick(client_for, users, tree):
    client = client_for(users.command)
    client.post(NEW, _form(tree, units=[], everyone=["villages"]))
    codes = set(Recipient.objects.values_list("area_id", flat=True))
    assert codes == {tree.village.code, tree.village2.code, tree.other_village.code}


def test_it_saves_a_draft_and_sends_it_later(client_for, users, tree):
    client = client_for(users.command)
    data = _form(tree)
    data.pop("send")
    data["draft"] = "1"
    client.post(NEW, data)
    draft = Directive.objects.get()
    assert draft.state == "draft" and not Notification.objects.exists()
    edit = reverse("directives:edit", args=[draft.pk])
    assert client.get(edit).status_code == 200
    response = client.post(reverse("directives:send", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "sent"
    assert client.get(edit).status_code == 404


def test_bad_input_is_refused_with_nothing_written(client_for, users, tree):
    client = client_for(users.command)
    past = timezone.localtime(timezone.now() - timezone.timedelta(hours=1))
    cases = [
        ({"title": ""}, "title"),
        ({"deadline": past.strftime("%Y-%m-%dT%H:%M")}, "deadline"),
        ({"units": []}, "units"),
        ({"units": [tree.far_village.code]}, "units"),
        ({"files": [helpers.pdf("a.exe", b"MZ")]}, "files"),
    ]
    for change, field in cases:
        response = client.post(NEW, _form(tree, **change))
        assert response.status_code == 400, change
        body = response.content.decode()
        if field:
            assert f'data-field-error="{field}"' in body, change
        else:
            assert "data-form-errors" in body
    assert not Directive.objects.exists() and not Attachment.objects.exists()


def test_compose_matrix(client_for, users, tree):
    found = helpers.statuses(client_for, helpers.matrix(users), NEW)
    assert found["norole"] == 404 and found["village"] == 404 and found["grid"] == 404
    assert found["command"] == 200 and found["town"] == 200
    # A town is offered its villages only.
    body = client_for(users.town).get(NEW).content.decode()
    assert tree.village.name in body and tree.other_village.name not in body


def test_the_detail_shows_who_lags(client_for, users, tree, sent):
    town_unit = helpers.recipient(sent, tree.town)
    services.recipient_sign(actor=users.town, recipient=town_unit)
    services.feedback_submit(actor=users.town, recipient=town_unit, text="已全部落实到位")
    url = reverse("directives:detail", args=[sent.pk])
    body = client_for(users.command).get(url).content.decode()
    assert "已全部落实到位" in body
    assert 'data-total="signed">1/2<' in body and 'data-total="answered">1/2<' in body
    unsigned = client_for(users.command).get(url + "?show=unsigned").content.decode()
    assert f'data-unit="{tree.village.code}"' in unsigned
    assert f'data-unit="{tree.town.code}"' not in unsigned


def test_the_detail_matrix(client_for, users, sent):
    url = reverse("directives:detail", args=[sent.pk])
    found = helpers.statuses(client_for, helpers.matrix(users), url)
    assert found == {
        "outsider": 404,
        "other_town": 404,
        "norole": 404,
        "grid": 404,
        "village": 404,
        "town": 404,
        "command": 200,
    }


def test_remind_all_and_one(client_for, users, tree, sent):
    client = client_for(users.command)
    before = Notification.objects.count()
    client.post(reverse("directives:remind", args=[sent.pk]))
    assert Notification.objects.count() == before + 2
    client.post(reverse("directives:remind", args=[sent.pk]))
    unit = helpers.recipient(sent, tree.village)
    client.post(reverse("directives:recipient_remind", args=[unit.pk]))
    assert Notification.objects.count() == before + 2
    assert Recipient.objects.filter(reminded_on=timezone.localdate()).count() == 2


def test_writes_are_404_for_others(client_for, users, tree, sent):
    unit = helpers.recipient(sent, tree.village)
    for name in ("outsider", "other_town", "norole", "town", "village"):
        client = client_for(getattr(users, name))
        for url in (
            reverse("directives:remind", args=[sent.pk]),
            reverse("directives:close", args=[sent.pk]),
            reverse("directives:recipient_remind", args=[unit.pk]),
        ):
            assert client.post(url).status_code == 404, (name, url)
    sent.refresh_from_db()
    assert sent.state == "sent" and not Recipient.objects.filter(reminded_on__isnull=False)


def test_close(client_for, users, sent):
    client_for(users.command).post(reverse("directives:close", args=[sent.pk]))
    sent.refresh_from_db()
    assert sent.state == "closed" and sent.closed_at is not None
