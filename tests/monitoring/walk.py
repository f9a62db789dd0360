"""The monitoring module's part of the route walker (tests/walk)."""

import datetime

from django.utils import timezone

from fangkong.monitoring import links, services
from fangkong.monitoring.models import Alert
from tests.monitoring.conftest import key_person
from tests.walk.test_every_route import MARKER

PUBLIC = {"monitoring:health_link", "api-healthlink"}

PARAMS = [
    (r"^monitoring:alert_", lambda w: {"pk": w["alert"].pk}),
    (r"^api-alert-", lambda w: {"pk": w["alert"].pk}),
    (r"^monitoring:sample_result", lambda w: {"pk": w["sample"].pk}),
    (r"^api-sample-", lambda w: {"pk": w["sample"].pk}),
    (r"^monitoring:health_link|^api-healthlink", lambda w: {"token": w["health_token"]}),
    (r"^monitoring:", lambda w: {"pk": w["key_person"].pk}),
    (r"^api-healthlog-", lambda w: {"pk": w["key_person"].pk}),
]


def world(tree, users, base):
    kp = key_person(tree.grid, MARKER)
    # Yesterday's morning: today's is refused before its slot opens, and the walker runs at
    # any hour.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.healthlog_record(
        actor=None, key_person=kp, slot="am", temperature="38.0", date=yesterday
    )
    sample = services.sample_create(
        actor=None, key_person=kp, sample_no="WALK-1", sampled_on=kp.period_start
    )
    return {
        "key_person": kp,
        "alert": Alert.objects.get(key_person=kp),
        "sample": sample,
        "health_token": links.link_token(kp),
    }
