"""Inbox notifications written by the domain become one delivery per channel and matter."""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fangkong.channels import services
from fangkong.channels.models import Channel, Delivery
from fangkong.inbox.models import Notification
from fangkong.inbox.services import notification_send
from tests import factories
from tests.channels import helpers
from tests.ledger.helpers import push


def test_a_push_reaches_the_channels_of_its_village_and_town_once(
    tree, users, robot, django_capture_on_commit_callbacks
):
    # Two staff of the village are notified: the group gets one message.
    factories.user("village2", tree.village, "village_staff")
    village = helpers.channel(tree.village, webhook_url=robot.url)
    town = helpers.channel(tree.town, Channel.Kind.DINGTALK, webhook_url=robot.url)
    helpers.channel(tree.other_town, name="闻韶街道群", webhook_url=robot.url)
    helpers.channel(tree.village2, name="乙烯社区群", webhook_url=robot.url)
    with django_capture_on_commit_callbacks(execute=True):
        created = push(tree.grid, "李四")
    assert Notification.objects.filter(target_type="push", target_id=str(created.pk)).count() == 2
    deliveries = Delivery.objects.order_by("channel_id")
    assert [(d.channel_id, d.status, d.target_id) for d in deliveries] == [
        (village.pk, "sent", str(created.pk)),
        (town.pk, "sent", str(created.pk)),
    ]
    assert len(robot.requests) == 2
    assert all("李四" in str(r["json"]) for r in robot.requests)


def test_nothing_is_sent_before_the_transaction_commits(tree, users, robot):
    helpers.channel(tree.village, webhook_url=robot.url)
    push(tree.grid)  # the test's transaction never commits
    assert Delivery.objects.get().status == "pending"
    assert robot.requests == []


def test_a_rolled_back_write_sends_nothing(tree, users, robot, django_capture_on_commit_callbacks):
    helpers.channel(tree.village, webhook_url=robot.url)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                push(tree.grid)
                raise RuntimeError
        except RuntimeError:
            pass
    assert not Delivery.objects.exists()
    assert robot.requests == []


def test_units_without_channels_cost_one_query_and_no_delivery(tree, users):
    helpers.channel(tree.other_town, name="闻韶街道群")
    rows = [Notification(user=users.village, area=tree.grid, kind="push", title="x")]
    with CaptureQueriesContext(connection) as captured:
        assert services.notifications_forward(rows) == 0
    assert len(captured) == 1
    push(tree.grid)
    assert not Delivery.objects.exists()


def test_a_channel_forwards_only_its_kinds_and_only_when_active(tree, users, robot):
    pushes_only = helpers.channel(tree.town, name="推送群", kinds=["push"])
    alerts_only = helpers.channel(tree.town, name="预警群", kinds=["alert"])
    helpers.channel(tree.town, name="停用群", active=False)
    push(tree.grid)
    assert list(Delivery.objects.values_list("channel_id", flat=True)) == [pushes_only.pk]
    assert not alerts_only.deliveries.exists()


def test_the_same_matter_written_twice_in_one_transaction_is_one_message(tree, users):
    channel = helpers.channel(tree.county, name="指挥部群")
    message = {"area": tree.village, "kind": "alert", "title": "发热预警", "target_type": "alert"}
    with transaction.atomic():
        notification_send(users=[users.village], target_id=5, **message)
        notification_send(users=[users.command], target_id=5, **message)
        notification_send(users=[users.command], target_id=6, **message)
    assert sorted(channel.deliveries.values_list("target_id", flat=True)) == ["5", "6"]


def test_messages_without_a_target_are_grouped_by_their_text(tree, users):
    channel = helpers.channel(tree.village)
    notification_send(users=[users.village, users.grid], area=tree.grid, kind="other", title="a")
    notification_send(users=[users.village], area=tree.grid, kind="other", title="b")
    assert sorted(channel.deliveries.values_list("title", flat=True)) == ["a", "b"]


def test_a_delivery_carries_the_notification_link_and_no_personal_numbers(tree, users):
    helpers.channel(tree.village)
    created = push(tree.grid, "王五")
    delivery = Delivery.objects.get()
    assert delivery.link == reverse("ledger:push_detail", args=[created.pk])
    assert created.id_number_masked[-4:] not in delivery.title + delivery.body
    assert "13912345678" not in delivery.title + delivery.body


def test_a_matter_written_again_after_a_rolled_back_savepoint_is_sent(
    tree, users, robot, django_capture_on_commit_callbacks
):
    channel = helpers.channel(tree.village, webhook_url=robot.url)
    message = {"area": tree.village, "kind": "alert", "title": "发热预警", "target_type": "alert"}
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notification_send(users=[users.village], target_id=1, **message)
        try:
            with transaction.atomic():
                notification_send(users=[users.village], target_id=2, **message)
                raise RuntimeError
        except RuntimeError:
            pass
        notification_send(users=[users.village], target_id=2, **message)
    found = sorted(channel.deliveries.values_list("target_id", "status"))
    assert found == [("1", "sent"), ("2", "sent")]
    assert len(robot.requests) == 2
