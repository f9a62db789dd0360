"""The channels module's part of the route walker (tests/walk)."""

from fangkong.channels.models import Delivery
from tests.channels import helpers
from tests.walk.test_every_route import MARKER

PARAMS = [
    (r"^channels:channel_", lambda w: {"pk": w["channel"].pk}),
    (r"^channels:delivery_", lambda w: {"pk": w["delivery"].pk}),
    (r"^api-channels-channel-", lambda w: {"pk": w["channel"].pk}),
    (r"^api-channels-delivery-", lambda w: {"pk": w["delivery"].pk}),
]


def world(tree, users, base):
    # A listed robot host: the walker's users are all refused, so nothing is ever sent.
    channel = helpers.channel(
        tree.village, name=MARKER, webhook_url="https://qyapi.weixin.qq.com/send?key=walk"
    )
    delivery = Delivery.objects.create(
        channel=channel, area=tree.village, kind="push", title=MARKER, status="failed"
    )
    return {"channel": channel, "delivery": delivery}
