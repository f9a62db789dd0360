"""Sending deliveries to a real local robot and mail server: shapes, signature, retries."""

import datetime
import email

from fangkong.channels import services
from fangkong.channels.models import Channel, Delivery
from fangkong.channels.tasks import delivery_send
from tests.channels import helpers


def _delivery(channel, title="张三 应到 太公社区", body="湖北省武汉市", link="/ledger/pushes/7/"):
    return Delivery.objects.create(
        channel=channel,
        area_id=channel.area_id,
        kind="push",
        target_type="push",
        target_id="7",
        title=title,
        body=body,
        link=link,
    )


def test_it_posts_wecom_markdown(tree, robot, base_url):
    channel = helpers.channel(tree.village, webhook_url=robot.url)
    delivery = services.delivery_attempt(_delivery(channel).pk)
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 1
    assert delivery.response_status == 200 and delivery.sent_at
    [request] = robot.requests
    assert request["query"]["key"] == "9f3c2a1b-77aa-4e5e-secret"
    assert request["content_type"].startswith("application/json")
    body = request["json"]
    assert body["msgtype"] == "markdown" and set(body) == {"msgtype", "markdown"}
    content = body["markdown"]["content"]
    assert "张三 应到 太公社区" in content and "湖北省武汉市" in content
    assert "(https://fk.example.gov.cn/ledger/pushes/7/)" in content


def test_it_signs_dingtalk_messages_as_the_robot_checks(tree, robot):
    robot.secret = "SEC0123456789abcdef+/=="
    channel = helpers.channel(
        tree.town, Channel.Kind.DINGTALK, webhook_url=robot.url, secret=robot.secret
    )
    delivery = services.delivery_attempt(_delivery(channel).pk)
    assert delivery.status == Delivery.Status.SENT, delivery.last_error
    [request] = robot.requests
    assert {"timestamp", "sign", "key"} <= set(request["query"])
    markdown = request["json"]["markdown"]
    assert request["json"]["msgtype"] == "markdown"
    assert markdown["title"] == "张三 应到 太公社区"
    assert "湖北省武汉市" in markdown["text"]


def test_a_wrong_dingtalk_secret_is_a_failure(tree, robot):
    robot.secret = "SECright"
    channel = helpers.channel(
        tree.town, Channel.Kind.DINGTALK, webhook_url=robot.url, secret="SECwrong"
    )
    delivery = services.delivery_attempt(_delivery(channel).pk)
    assert delivery.status == Delivery.Status.PENDING  # attempts left
    assert "310000" in delivery.last_error and delivery.response_status == 200


def test_the_link_stays_relative_without_a_base_url(tree, robot, settings):
    settings.FANGKONG_BASE_URL = ""
    channel = helpers.channel(tree.village, webhook_url=robot.url)
    services.delivery_attempt(_delivery(channel).pk)
    assert "(/ledger/pushes/7/)" in robot.requests[0]["json"]["markdown"]["content"]


def test_it_mails_the_addresses(tree, smtp, base_url):
    channel = helpers.channel(
        tree.town, Channel.Kind.EMAIL, recipients=["duty@example.com", "chief@example.com"]
    )
    delivery = services.delivery_attempt(_delivery(channel).pk)
    assert delivery.status == Delivery.Status.SENT, delivery.last_error
    [envelope] = smtp.messages
    assert sorted(envelope.rcpt_tos) == ["chief@example.com", "duty@example.com"]
    message = email.message_from_bytes(envelope.content)
    assert str(email.header.make_header(email.header.decode_header(message["Subject"]))) == (
        "张三 应到 太公社区"
    )
    text = message.get_payload(decode=True).decode(message.get_content_charset())
    assert "湖北省武汉市" in text and "https://fk.example.gov.cn/ledger/pushes/7/" in text


def test_an_unreachable_mail_server_is_a_failure(tree, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", helpers.free_port()
    channel = helpers.channel(tree.town, Channel.Kind.EMAIL)
    delivery = services.delivery_attempt(_delivery(channel).pk)
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1
    assert delivery.last_error


def test_failure_then_retry_then_success_is_logged(tree, robot):
    robot.answers = [(500, {"errmsg": "busy"}), (200, {"errcode": 45009, "errmsg": "api freq"})]
    channel = helpers.channel(tree.village, webhook_url=robot.url)
    pk = _delivery(channel).pk
    first = services.delivery_attempt(pk)
    assert (first.status, first.attempts, first.response_status) == ("pending", 1, 500)
    assert first.last_error == "HTTP 500"
    second = services.delivery_attempt(pk)
    assert (second.status, second.attempts, second.response_status) == ("pending", 2, 200)
    assert "45009" in second.last_error
    third = services.delivery_attempt(pk)
    assert (third.status, third.attempts, third.last_error) == ("sent", 3, "")
    assert len(robot.requests) == 3


def test_it_gives_up_after_the_last_attempt_and_a_retry_starts_again(tree, robot, users):
    robot.answers = [(502, "bad gateway")] * services.MAX_ATTEMPTS
    channel = helpers.channel(tree.village, webhook_url=robot.url)
    pk = _delivery(channel).pk
    for _ in range(services.MAX_ATTEMPTS):
        services.delivery_attempt(pk)
    delivery = Delivery.objects.get(pk=pk)
    assert (delivery.status, delivery.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert services.delivery_attempt(pk) is None  # failed for good: no fourth request
    assert len(robot.requests) == services.MAX_ATTEMPTS
    services.delivery_retry(actor=users.town, delivery=delivery)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    assert services.delivery_attempt(pk).status == "sent"


def test_a_sent_delivery_is_never_sent_again(tree, robot):
    channel = helpers.channel(tree.village, webhook_url=robot.url)
    pk = _delivery(channel).pk
    assert services.delivery_attempt(pk).status == "sent"
    assert services.delivery_attempt(pk) is None
    delivery_send(pk)
    assert len(robot.requests) == 1
    assert Delivery.objects.get(pk=pk).attempts == 1


def test_a_claimed_delivery_is_left_to_its_worker(tree, robot):
    from django.utils import timezone

    channel = helpers.channel(tree.village, webhook_url=robot.url)
    pk = _delivery(channel).pk
    Delivery.objects.filter(pk=pk).update(
        claimed_until=timezone.now() + datetime.timedelta(seconds=30)
    )
    assert services.delivery_attempt(pk) is None
    assert robot.requests == []


def test_the_task_schedules_the_next_attempt_after_a_failure(tree, robot):
    from huey.contrib.djhuey import HUEY

    robot.answers = [(500, {})]
    channel = helpers.channel(tree.village, webhook_url=robot.url)
    pk = _delivery(channel).pk
    HUEY.storage.flush_schedule()
    delivery_send(pk)
    scheduled = HUEY.scheduled()
    assert [(t.name, t.args) for t in scheduled] == [("delivery_send", (pk,))]
    assert Delivery.objects.get(pk=pk).attempts == 1
    HUEY.storage.flush_schedule()


def test_an_inactive_channel_fails_its_pending_deliveries(tree, robot):
    channel = helpers.channel(tree.village, webhook_url=robot.url, active=False)
    delivery = services.delivery_attempt(_delivery(channel).pk)
    assert delivery.status == "failed" and robot.requests == []


def test_an_unreachable_robot_is_a_failure_without_its_key_in_the_log(tree):
    url = f"http://127.0.0.1:{helpers.free_port()}/send?key=topsecretkey"
    channel = helpers.channel(tree.village, webhook_url=url)
    delivery = services.delivery_attempt(_delivery(channel).pk)
    assert delivery.status == "pending" and delivery.last_error
    assert "topsecretkey" not in delivery.last_error


def test_stalled_deliveries_are_found_again(tree):
    from django.utils import timezone

    channel = helpers.channel(tree.village)
    fresh = _delivery(channel)
    stalled = _delivery(channel)
    Delivery.objects.filter(pk=stalled.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert services.deliveries_stalled() == [stalled.pk]
    assert fresh.pk not in services.deliveries_stalled()


def test_it_never_calls_a_host_taken_off_the_list(tree, robot, settings):
    channel = helpers.channel(tree.village, webhook_url=robot.url)
    settings.FANGKONG_CHANNEL_HOSTS = ["qyapi.weixin.qq.com"]
    delivery = services.delivery_attempt(_delivery(channel).pk)
    assert delivery.status == "pending" and "FANGKONG_CHANNEL_HOSTS" in delivery.last_error
    assert robot.requests == []
