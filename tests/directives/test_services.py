"""The rules of directives, at the service layer."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.directives import services
from fangkong.directives.models import Attachment, Directive, Feedback, Recipient
from fangkong.inbox.models import Notification
from tests import factories
from tests.directives import helpers


def _codes(exc) -> dict:
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def test_it_numbers_per_area_and_year(users, tree):
    first = helpers.directive(users.command, [tree.town])
    second = helpers.directive(users.command, [tree.village])
    town_first = helpers.directive(users.town, [tree.village])
    year = timezone.localdate().year
    assert first.number == f"临防指〔{year}〕1号"
    assert second.number == f"临防指〔{year}〕2号"
    assert town_first.number == f"辛防指〔{year}〕1号"
    assert (first.state, first.sent_by, first.area_id) == ("sent", users.command, "370305")


def test_a_draft_has_no_number_until_sent(users, tree):
    draft = helpers.directive(users.command, [tree.town], send=False)
    assert draft.state == Directive.State.DRAFT and draft.number == ""
    assert not Notification.objects.exists()
    sent = services.directive_send(actor=users.command, directive=draft)
    assert sent.number.endswith("〕1号")
    with pytest.raises(ValidationError):
        services.directive_send(actor=users.command, directive=draft)


def test_it_notifies_the_chosen_roles_at_each_unit(users, tree):
    extra_village = factories.user("v2", tree.village2, "village_staff")
    directive = helpers.directive(users.command, [tree.village], roles=["village_staff"])
    notified = set(Notification.objects.values_list("user_id", "kind", "target_type"))
    assert notified == {(users.village.pk, "directive", "directive_recipient")}
    assert extra_village.pk not in {u for u, _k, _t in notified}
    note = Notification.objects.get()
    assert note.target_id == str(helpers.recipient(directive, tree.village).pk)
    helpers.directive(users.command, [tree.town], roles=["town_admin"])
    assert Notification.objects.filter(user=users.town).count() == 1


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"title": "  "}, "title", "required"),
        ({"deadline": "past"}, "deadline", "past"),
        ({"areas": []}, "areas", "required"),
        ({"areas": "outside"}, "areas", "scope"),
        ({"areas": "self"}, "areas", "scope"),
        ({"areas": "grid"}, "areas", "level"),
        ({"roles": []}, "roles", "required"),
        ({"roles": ["command"]}, "roles", "invalid"),
        ({"files": "exe"}, "files", "type"),
        ({"files": "fake_pdf"}, "files", "type"),
        ({"files": "big"}, "files", "size"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(users, tree, settings, change, field, code):
    settings.FANGKONG_DIRECTIVE_MAX_FILE_MB = 1
    values = {
        "title": "通知",
        "deadline": helpers.in_days(),
        "areas": [tree.town],
        "roles": ["town_admin"],
        "files": [helpers.pdf()],
    }
    special = {
        "past": timezone.now() - datetime.timedelta(minutes=1),
        "outside": [tree.far_town],
        "self": [tree.county],
        "grid": [tree.grid],
        "exe": [helpers.pdf("病毒.exe", b"MZ\x90\x00")],
        "fake_pdf": [helpers.pdf("假.pdf", b"MZ\x90\x00")],
        "big": [helpers.pdf(content=helpers.PDF + b"0" * (2**20))],
    }
    for key, value in change.items():
        values[key] = special.get(value, value) if isinstance(value, str) else value
    with pytest.raises(ValidationError) as exc:
        services.directive_create(actor=users.command, send=True, **values)
    assert code in _codes(exc)[field]
    assert not Directive.objects.exists() and not Recipient.objects.exists()
    assert not Attachment.objects.exists() and not Notification.objects.exists()
    media = settings.MEDIA_ROOT / "directives"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_town_sends_only_inside_its_town(users, tree):
    with pytest.raises(ValidationError) as exc:
        helpers.directive(users.town, [tree.other_village])
    assert "scope" in _codes(exc)["areas"]


def test_it_stores_attachments_under_the_year(users, tree, settings):
    directive = helpers.directive(users.command, [tree.town], files=[helpers.pdf("防控方案.pdf")])
    attachment = directive.attachments.get()
    assert attachment.name == "防控方案.pdf" and attachment.size == len(helpers.PDF)
    assert attachment.file.name.startswith(f"directives/{datetime.date.today():%Y}/")
    assert (settings.MEDIA_ROOT / attachment.file.name).read_bytes() == helpers.PDF


def test_a_unit_signs_once(users, tree, sent):
    recipient = helpers.recipient(sent, tree.town)
    services.recipient_sign(actor=users.town, recipient=recipient)
    recipient.refresh_from_db()
    assert recipient.signed_by == users.town and recipient.signed_at is not None
    assert not Notification.objects.filter(user=users.town, resolved_at__isnull=True).exists()
    with pytest.raises(ValidationError) as exc:
        services.recipient_sign(actor=users.town, recipient=recipient)
    assert "signed" in _codes(exc)["signed_at"]


def test_only_the_units_people_act_for_it(users, tree, sent):
    town_unit = helpers.recipient(sent, tree.town)
    village_unit = helpers.recipient(sent, tree.village)
    for actor, recipient in [
        (users.other_town, town_unit),
        (users.town, village_unit),  # the town does not sign for its village
        (users.norole, town_unit),
        (users.command, town_unit),
    ]:
        with pytest.raises(ValidationError):
            services.recipient_sign(actor=actor, recipient=recipient)
    assert not Recipient.objects.filter(signed_at__isnull=False).exists()
    services.recipient_sign(actor=users.village, recipient=village_unit)


def test_feedback_needs_a_receipt_and_text(users, tree, sent):
    recipient = helpers.recipient(sent, tree.village)
    with pytest.raises(ValidationError) as exc:
        services.feedback_submit(actor=users.village, recipient=recipient, text="已完成")
    assert "unsigned" in _codes(exc)["text"]
    services.recipient_sign(actor=users.village, recipient=recipient)
    with pytest.raises(ValidationError) as exc:
        services.feedback_submit(actor=users.village, recipient=recipient, text=" ")
    assert "required" in _codes(exc)["text"]
    assert not Feedback.objects.exists()


def test_feedback_is_kept_and_marked_late_after_the_deadline(users, tree, sent):
    recipient = helpers.recipient(sent, tree.village)
    services.recipient_sign(actor=users.village, recipient=recipient)
    first = services.feedback_submit(
        actor=users.village, recipient=recipient, text="已排查12户", files=[helpers.pdf("台账.pdf")]
    )
    assert not first.late and first.attachments.get().name == "台账.pdf"
    Directive.objects.filter(pk=sent.pk).update(deadline=timezone.now() - datetime.timedelta(1))
    second = services.feedback_submit(actor=users.village, recipient=recipient, text="补充")
    assert second.late
    recipient.refresh_from_db()
    assert recipient.feedback_count == 2 and recipient.last_feedback_at == second.created_at
    note = Notification.objects.filter(user=users.command, kind="directive_feedback")
    assert note.count() == 2 and note.first().target_id == str(sent.pk)


def test_reminders_go_to_laggards_once_a_day(users, tree, sent):
    services.recipient_sign(actor=users.town, recipient=helpers.recipient(sent, tree.town))
    services.feedback_submit(
        actor=users.town, recipient=helpers.recipient(sent, tree.town), text="已落实"
    )
    before = Notification.objects.filter(kind="directive").count()
    assert services.directive_remind_laggards(actor=users.command, directive=sent) == 1
    assert services.directive_remind_laggards(actor=users.command, directive=sent) == 0
    village_unit = helpers.recipient(sent, tree.village)
    assert not services.recipient_remind(actor=users.command, recipient=village_unit)
    after = Notification.objects.filter(kind="directive")
    assert after.count() == before + 1
    assert after.order_by("-pk").first().user == users.village
    with pytest.raises(ValidationError):
        services.directive_remind_laggards(actor=users.other_town, directive=sent)


def test_closing_stops_signing(users, tree, sent):
    services.directive_close(actor=users.command, directive=sent)
    with pytest.raises(ValidationError) as exc:
        services.recipient_sign(actor=users.town, recipient=helpers.recipient(sent, tree.town))
    assert "state" in _codes(exc)
    assert not Notification.objects.filter(kind="directive", resolved_at__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.directive_close(actor=users.command, directive=sent)


def test_a_draft_is_edited_and_its_units_replaced(users, tree):
    draft = helpers.directive(users.command, [tree.town, tree.village], send=False)
    services.directive_update(
        actor=users.command,
        directive=draft,
        kind="order",
        title="新标题",
        deadline=helpers.in_days(1),
        areas=[tree.village, tree.other_town],
        roles=["town_admin"],
        send=True,
    )
    draft.refresh_from_db()
    assert draft.state == "sent" and draft.title == "新标题"
    assert set(draft.recipients.values_list("area_id", flat=True)) == {
        tree.village.code,
        tree.other_town.code,
    }
    with pytest.raises(ValidationError):
        services.directive_update(
            actor=users.command,
            directive=draft,
            kind="order",
            title="再改",
            deadline=helpers.in_days(1),
            areas=[tree.village],
            roles=["town_admin"],
        )


def test_it_reminds_laggards_automatically_once_the_deadline_is_near(users, tree, sent):
    # `sent` is due in three days: outside the 24-hour window.
    soon = helpers.directive(
        users.command,
        [tree.town, tree.village],
        title="关于今日完成核酸采样的通知",
        deadline=timezone.now() + datetime.timedelta(hours=5),
    )
    helpers.directive(
        users.command,
        [tree.town],
        title="草稿",
        send=False,
        deadline=timezone.now() + datetime.timedelta(hours=5),
    )
    town_unit = helpers.recipient(soon, tree.town)
    services.recipient_sign(actor=users.town, recipient=town_unit)
    services.feedback_submit(actor=users.town, recipient=town_unit, text="已完成")
    before = set(Notification.objects.values_list("pk", flat=True))

    assert services.directives_remind_due() == 1
    new = Notification.objects.exclude(pk__in=before)
    assert [(n.user, n.target_id) for n in new] == [
        (users.village, str(helpers.recipient(soon, tree.village).pk))
    ]
    assert services.directives_remind_due() == 0

    # The older directive comes into the window two days later; the closed one never does.
    later = timezone.now() + datetime.timedelta(days=2, hours=1)
    Recipient.objects.update(reminded_on=None)
    services.directive_close(actor=users.command, directive=soon)
    assert services.directives_remind_due(now=later) == 2
    assert services.directives_remind_due(now=later) == 0


def test_it_reminds_nobody_past_the_deadline(users, tree, sent):
    past = timezone.now() + datetime.timedelta(days=4)
    assert services.directives_remind_due(now=past) == 0
