"""Channels API: CRUD within the scope, secrets never read back, the delivery log."""

import pytest
from rest_framework.test import APIClient

from fangkong.channels.models import Channel, Delivery
from tests.api.conftest import assert_error
from tests.channels import helpers

CHANNELS = "/api/v1/channels/"
DELIVERIES = "/api/v1/channels/deliveries/"
URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd1234efgh"


@pytest.fixture
def api_for():
    def login(user):
        client = APIClient()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def channel(tree):
    return helpers.channel(tree.village, webhook_url=URL)


def test_it_lists_channels_of_the_scope_with_masked_urls(api_for, users, channel, tree):
    helpers.channel(tree.other_town, name="闻韶群")
    response = api_for(users.town).get(CHANNELS)
    assert response.status_code == 200
    [found] = response.json()["results"]
    assert found["name"] == channel.name and found["area"] == tree.village.code
    assert found["destination"].endswith("key=abcd****")
    assert "abcd1234efgh" not in response.content.decode()
    assert "webhook_url" not in found and "secret" not in found


def test_its_routes_answer_404_outside_the_scope_or_without_the_role(api_for, users, channel):
    detail = f"{CHANNELS}{channel.pk}/"
    for who in ("outsider", "other_town", "norole", "village"):
        client = api_for(getattr(users, who))
        assert client.get(detail).status_code == 404, who
        assert client.put(detail, {"name": "x"}, format="json").status_code in (400, 404), who
        assert client.delete(detail).status_code == 404, who
    for who in ("norole", "village"):
        assert api_for(getattr(users, who)).get(CHANNELS).status_code == 404
        assert api_for(getattr(users, who)).get(DELIVERIES).status_code == 404
    assert Channel.objects.get().name == channel.name
    assert api_for(users.command).get(detail).status_code == 200


def test_it_creates_updates_and_deletes(api_for, users, tree):
    client = api_for(users.town)
    response = client.post(
        CHANNELS,
        {
            "name": "街道钉钉群",
            "area": tree.town.code,
            "kind": "dingtalk",
            "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=tok999",
            "secret": "SECx",
            "kinds": ["push"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["signed"] is True and "tok999" not in str(body)
    pk = body["id"]
    response = client.put(
        f"{CHANNELS}{pk}/",
        {"name": "改名", "area": tree.town.code, "kind": "dingtalk", "active": False},
        format="json",
    )
    assert response.status_code == 200, response.json()
    channel = Channel.objects.get(pk=pk)
    assert (channel.name, channel.active, channel.secret, channel.kinds) == (
        "改名",
        False,
        "SECx",
        [],
    )
    assert channel.webhook_url.endswith("tok999")
    assert client.delete(f"{CHANNELS}{pk}/").status_code == 204
    assert not Channel.objects.exists()


@pytest.mark.parametrize(
    "data,field",
    [
        ({"kind": "wecom", "webhook_url": "not a url"}, "webhook_url"),
        ({"kind": "wecom", "webhook_url": "file:///etc/passwd"}, "webhook_url"),
        ({"kind": "email", "recipients": ["bad@"]}, "recipients"),
        ({"kind": "wecom", "webhook_url": URL, "area": "370305001001"}, "area"),
        ({"kind": "wecom", "webhook_url": URL, "area": "370302001"}, "area"),
    ],
)
def test_it_refuses_bad_input(api_for, users, tree, data, field):
    payload = {"name": "群", "area": tree.village.code, **data}
    response = api_for(users.town).post(CHANNELS, payload, format="json")
    assert_error(response, 400, "invalid")
    assert field in response.json()["extra"]["fields"]
    assert not Channel.objects.exists()


def test_it_lists_deliveries_with_filters(api_for, users, channel, tree):
    sent = Delivery.objects.create(channel=channel, area=tree.village, kind="push", title="a")
    Delivery.objects.filter(pk=sent.pk).update(status="sent")
    failed = Delivery.objects.create(
        channel=channel, area=tree.village, kind="push", title="b", status="failed"
    )
    other = helpers.channel(tree.other_town, name="闻韶群")
    Delivery.objects.create(channel=other, area=tree.other_town, kind="push", title="c")
    client = api_for(users.town)
    body = client.get(DELIVERIES).json()
    assert {d["id"] for d in body["results"]} == {sent.pk, failed.pk}
    body = client.get(DELIVERIES, {"status": "failed"}).json()
    assert [d["id"] for d in body["results"]] == [failed.pk]
    assert body["results"][0]["channel_name"] == channel.name
    assert_error(client.get(DELIVERIES, {"status": "nope"}), 400, "invalid")
    assert client.get(f"{DELIVERIES}{failed.pk}/").status_code == 200
    assert api_for(users.other_town).get(f"{DELIVERIES}{failed.pk}/").status_code == 404
