"""The recipient's pages: the to-sign list, the detail with sign and feedback, the home counter."""

import datetime

from django.urls import reverse
from django.utils import timezone

from fangkong.directives import services
from fangkong.directives.models import Attachment, Directive, Feedback, Recipient
from fangkong.inbox.models import Notification
from tests import factories
from tests.directives import helpers
from tests.ui.queries import queries_for

LIST = reverse("directives:received_list")


def test_each_user_acts_for_the_nearest_unit(users, tree, sent):
    """Sent to 辛店 and its village 太公: the village's staff answer for 太公, the town's
    admin for 辛店; neither is told of the other's."""
    town_unit, village_unit = (helpers.recipient(sent, a) for a in (tree.town, tree.village))
    notes = Notification.objects.filter(kind="directive")
    assert set(notes.values_list("user_id", "target_id")) == {
        (users.town.pk, str(town_unit.pk)),
        (users.village.pk, str(village_unit.pk)),
    }
    from fangkong.directives.selectors import received_queryset

    assert list(received_queryset(user=users.village)) == [village_unit]
    assert list(received_queryset(user=users.town)) == [town_unit]
    village2_staff = factories.user("v2", tree.village2, "village_staff")
    # 乙烯 is not a recipient itself: its staff belong to the town unit.
    assert list(received_queryset(user=village2_staff)) == [town_unit]


def test_the_list_shows_what_to_sign(client_for, users, tree, sent):
    other = helpers.directive(users.command, [tree.other_town], title="闻韶专用通知")
    body = client_for(users.village).get(LIST).content.decode()
    assert sent.title in body and other.title not in body
    assert 'data-count="unsigned">1<' in body
    services.recipient_sign(actor=users.village, recipient=helpers.recipient(sent, tree.village))
    body = client_for(users.village).get(LIST + "?show=unsigned").content.decode()
    assert sent.title not in body


def test_drafts_are_not_received(client_for, users, tree):
    draft = helpers.directive(users.command, [tree.village], send=False, title="草稿不应出现")
    assert draft.title not in client_for(users.village).get(LIST).content.decode()


def test_the_list_matrix(client_for, users, sent):
    found = helpers.statuses(client_for, helpers.matrix(users), LIST)
    # The outsider is a district command: it sends, it does not sign.
    assert found == {
        "outsider": 404,
        "other_town": 200,
        "norole": 404,
        "grid": 404,
        "village": 200,
        "town": 200,
        "command": 404,
    }
    for name in ("other_town",):
        assert sent.title not in client_for(getattr(users, name)).get(LIST).content.decode()


def test_the_list_costs_the_same_for_1_or_10(
    client_for, users, tree, django_assert_max_num_queries
):
    client = client_for(users.village)
    helpers.directive(users.command, [tree.village])
    few = queries_for(client, LIST)
    for n in range(9):
        helpers.directive(users.command, [tree.village, tree.town], title=f"通知{n}")
    with django_assert_max_num_queries(10):
        many = queries_for(client, LIST)
    assert few == many


def test_the_home_page_counts_directives_to_sign(client_for, users, tree, sent):
    body = client_for(users.village).get(reverse("home")).content.decode()
    assert f'data-counter="{LIST}"' in body
    start = body.index(f'data-counter="{LIST}"')
    assert '<div class="fk-stat-value">1</div>' in body[start : start + 400]


def test_sign_then_answer_on_a_phone_page(client_for, users, tree, sent):
    unit = helpers.recipient(sent, tree.village)
    client = client_for(users.village)
    detail = reverse("directives:received_detail", args=[unit.pk])
    page = client.get(detail).content.decode()
    assert 'data-testid="sign"' in page and 'data-testid="feedback-form"' not in page
    assert client.post(reverse("directives:received_sign", args=[unit.pk])).status_code == 302
    page = client.get(detail).content.decode()
    assert 'data-signed="1"' in page and 'data-testid="feedback-form"' in page
    feedback = reverse("directives:received_feedback", args=[unit.pk])
    response = client.post(feedback, {"text": "已排查完毕", "files": [helpers.pdf("排查表.pdf")]})
    assert response.status_code == 302
    response = client.post(feedback, {"text": "补充：新增2人"})
    page = client.get(detail).content.decode()
    assert page.index("补充：新增2人") < page.index("已排查完毕")  # latest first
    unit.refresh_from_db()
    assert unit.feedback_count == 2


def test_a_second_sign_changes_nothing(client_for, users, tree, sent):
    unit = helpers.recipient(sent, tree.village)
    client = client_for(users.village)
    client.post(reverse("directives:received_sign", args=[unit.pk]))
    unit.refresh_from_db()
    first = unit.signed_at
    client.post(reverse("directives:received_sign", args=[unit.pk]))
    unit.refresh_from_db()
    assert unit.signed_at == first


def test_bad_feedback_is_refused(client_for, users, tree, sent, settings):
    settings.FANGKONG_DIRECTIVE_MAX_FILE_MB = 1
    unit = helpers.recipient(sent, tree.village)
    services.recipient_sign(actor=users.village, recipient=unit)
    client = client_for(users.village)
    url = reverse("directives:received_feedback", args=[unit.pk])
    for data, field in [
        ({"text": ""}, "text"),
        ({"text": "见附件", "files": [helpers.pdf("x.bat", b"@echo")]}, "files"),
        ({"text": "见附件", "files": [helpers.pdf(content=helpers.PDF * 40000)]}, "files"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400
        assert f'data-field-error="{field}"' in response.content.decode()
    assert not Feedback.objects.exists() and not Attachment.objects.exists()


def test_late_feedback_is_marked(client_for, users, tree, sent):
    unit = helpers.recipient(sent, tree.village)
    services.recipient_sign(actor=users.village, recipient=unit)
    Directive.objects.filter(pk=sent.pk).update(
        deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    client_for(users.village).post(
        reverse("directives:received_feedback", args=[unit.pk]), {"text": "迟报"}
    )
    assert Feedback.objects.get().late


def test_the_detail_and_writes_matrix(client_for, users, tree, sent):
    unit = helpers.recipient(sent, tree.village)
    detail = reverse("directives:received_detail", args=[unit.pk])
    found = helpers.statuses(client_for, helpers.matrix(users), detail)
    assert found == {
        "outsider": 404,
        "other_town": 404,
        "norole": 404,
        "grid": 404,
        "village": 200,
        "town": 404,
        "command": 404,
    }
    for name in ("outsider", "other_town", "norole", "grid", "town", "command"):
        client = client_for(getattr(users, name))
        assert client.post(reverse("directives:received_sign", args=[unit.pk])).status_code == 404
        url = reverse("directives:received_feedback", args=[unit.pk])
        assert client.post(url, {"text": "x"}).status_code == 404
    assert not Recipient.objects.filter(signed_at__isnull=False).exists()


def test_it_shows_the_town_its_villages_signing(client_for, users, tree):
    directive = helpers.directive(
        users.command, [tree.town, tree.village, tree.village2, tree.other_town]
    )
    village_unit = helpers.recipient(directive, tree.village)
    services.recipient_sign(actor=users.village, recipient=village_unit)
    town_unit = helpers.recipient(directive, tree.town)
    url = reverse("directives:received_detail", args=[town_unit.pk])

    body = client_for(users.town).get(url).content.decode()
    units = body.split('data-testid="units-below"')[1].split("</ul>")[0]
    assert f'data-unit="{tree.village.code}"' in units
    assert f'data-unit="{tree.village2.code}"' in units
    # Another town's unit is not the town's to follow.
    assert tree.other_town.code not in units
    signed = units.split(f'data-unit="{tree.village.code}"')[1].split("</li>")[0]
    assert "text-success" in signed
    unsigned = units.split(f'data-unit="{tree.village2.code}"')[1].split("</li>")[0]
    assert "text-danger" in unsigned

    # A village sees no units below it.
    body = (
        client_for(users.village)
        .get(reverse("directives:received_detail", args=[village_unit.pk]))
        .content.decode()
    )
    assert 'data-testid="units-below"' not in body
