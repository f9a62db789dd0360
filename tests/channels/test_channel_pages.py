"""Channel list, create, edit, delete and the test-message button."""

import pytest
from django.urls import reverse

from fangkong.channels.models import Channel, Delivery
from tests.channels import helpers
from tests.ui.queries import queries_for

ALLOWED = {"town": 200, "command": 200}
DENIED = {"outsider": 404, "other_town": 404, "norole": 404, "village": 404}


@pytest.fixture
def channel(tree):
    return helpers.channel(
        tree.village,
        webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd1234efgh",
    )


def test_it_lists_the_channels_of_the_scope_with_masked_urls(client_for, users, channel, tree):
    helpers.channel(tree.other_town, name="闻韶街道群")
    body = client_for(users.town).get(reverse("channels:channel_list")).content.decode()
    assert channel.name in body and "闻韶街道群" not in body
    assert "key=abcd****" in body and "abcd1234efgh" not in body
    other = client_for(users.other_town).get(reverse("channels:channel_list")).content.decode()
    assert channel.name not in other and "闻韶街道群" in other


def test_its_routes_answer_404_outside_the_scope_or_without_the_role(client_for, users, channel):
    for url in (reverse("channels:channel_list"), reverse("channels:channel_create")):
        found = helpers.statuses(client_for, helpers.matrix(users), url)
        assert found == {**DENIED, "other_town": 200, "outsider": 200, **ALLOWED}, url
    url = reverse("channels:channel_edit", args=[channel.pk])
    assert helpers.statuses(client_for, helpers.matrix(users), url) == {**DENIED, **ALLOWED}


def test_its_list_costs_the_same_for_more_channels(client_for, users, tree):
    helpers.channel(tree.village)
    few = queries_for(client_for(users.town), reverse("channels:channel_list"))
    for i in range(5):
        helpers.channel(tree.village2, name=f"群{i}", kind=Channel.Kind.EMAIL)
    assert queries_for(client_for(users.town), reverse("channels:channel_list")) == few


def test_it_creates_each_kind(client_for, users, tree):
    url = reverse("channels:channel_create")
    client = client_for(users.town)
    response = client.post(
        url,
        {
            "name": "太公社区群",
            "area": tree.village.code,
            "kind": "wecom",
            "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1",
            "active": "on",
        },
    )
    wecom = Channel.objects.get(name="太公社区群")
    assert response.status_code == 302
    assert response["Location"] == reverse("channels:channel_edit", args=[wecom.pk])
    assert (wecom.area_id, wecom.kinds, wecom.active, wecom.created_by) == (
        tree.village.code,
        [],
        True,
        users.town,
    )
    client.post(
        url,
        {
            "name": "街道钉钉群",
            "area": tree.town.code,
            "kind": "dingtalk",
            "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=t",
            "secret": "SECabc",
            "kinds": ["push", "alert"],
        },
    )
    ding = Channel.objects.get(name="街道钉钉群")
    assert (ding.secret, ding.kinds, ding.active) == ("SECabc", ["alert", "push"], False)
    client.post(
        url,
        {
            "name": "值班邮箱",
            "area": tree.town.code,
            "kind": "email",
            "recipients": "duty@example.com，chief@example.com\nduty@example.com",
            "active": "on",
        },
    )
    mail = Channel.objects.get(name="值班邮箱")
    assert mail.recipients == ["duty@example.com", "chief@example.com"]


@pytest.mark.parametrize(
    "data,field",
    [
        ({"kind": "wecom", "webhook_url": "qyapi.weixin.qq.com/send?key=1"}, "webhook_url"),
        ({"kind": "wecom", "webhook_url": "ftp://example.com/hook"}, "webhook_url"),
        ({"kind": "dingtalk", "webhook_url": "javascript:alert(1)"}, "webhook_url"),
        ({"kind": "dingtalk", "webhook_url": ""}, "webhook_url"),
        ({"kind": "email", "recipients": "duty@example.com, not-an-address"}, "recipients"),
        ({"kind": "email", "recipients": ""}, "recipients"),
        ({"kind": "sms", "webhook_url": "https://example.com/"}, "kind"),
        # Only the listed robot hosts: not an address inside the network.
        ({"kind": "wecom", "webhook_url": "http://10.1.2.3/cgi-bin/send?key=1"}, "webhook_url"),
        ({"kind": "dingtalk", "webhook_url": "https://oapi.dingtalk.com.evil.cn/x"}, "webhook_url"),
        ({"kind": "wecom", "webhook_url": "https://e.com/?k=1", "area": "370305001"}, "area"),
        ({"kind": "wecom", "webhook_url": "https://e.com/?k=1", "kinds": ["nope"]}, "kinds"),
    ],
)
def test_it_refuses_bad_input_with_a_message_and_writes_nothing(
    client_for, users, tree, data, field
):
    payload = {"name": "群", "area": tree.village.code, **data}
    response = client_for(users.town).post(reverse("channels:channel_create"), payload)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Channel.objects.exists()


def test_it_edits_without_showing_or_losing_the_secrets(client_for, users, tree):
    channel = helpers.channel(
        tree.town,
        Channel.Kind.DINGTALK,
        webhook_url="https://oapi.dingtalk.com/robot/send?access_token=tok123456",
        secret="SECsecret",
    )
    url = reverse("channels:channel_edit", args=[channel.pk])
    client = client_for(users.town)
    body = client.get(url).content.decode()
    assert "tok123456" not in body and "SECsecret" not in body and "access_token=tok1****" in body
    data = {"name": "改名", "area": tree.town.code, "kind": "dingtalk", "kinds": ["alert"]}
    assert client.post(url, data).status_code == 302
    channel.refresh_from_db()
    assert (channel.name, channel.kinds, channel.active) == ("改名", ["alert"], False)
    assert channel.webhook_url.endswith("tok123456") and channel.secret == "SECsecret"
    assert client.post(url, {**data, "clear_secret": "on"}).status_code == 302
    channel.refresh_from_db()
    assert channel.secret == ""
    assert client_for(users.other_town).post(url, {**data, "name": "x"}).status_code == 404
    channel.refresh_from_db()
    assert channel.name == "改名"


def test_it_does_not_move_a_channel_out_of_the_scope(client_for, users, channel, tree):
    url = reverse("channels:channel_edit", args=[channel.pk])
    data = {"name": "x", "area": tree.other_village.code, "kind": "wecom"}
    assert client_for(users.town).post(url, data).status_code == 400
    channel.refresh_from_db()
    assert channel.area_id == tree.village.code


def test_it_removes_a_channel(client_for, users, channel):
    url = reverse("channels:channel_delete", args=[channel.pk])
    for user in (users.other_town, users.outsider, users.norole, users.village):
        assert client_for(user).post(url).status_code == 404
    assert client_for(users.town).get(url).status_code == 405
    assert client_for(users.town).post(url).status_code == 302
    assert not Channel.objects.exists()


def test_the_test_button_sends_a_message(
    client_for, users, tree, robot, django_capture_on_commit_callbacks
):
    channel = helpers.channel(tree.village, webhook_url=robot.url)
    url = reverse("channels:channel_test", args=[channel.pk])
    for user in (users.other_town, users.outsider, users.norole, users.village):
        assert client_for(user).post(url).status_code == 404
    assert not Delivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(users.town).post(url)
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.status) == ("test", "sent")
    assert len(robot.requests) == 1
    assert channel.name in robot.requests[0]["json"]["markdown"]["content"]
