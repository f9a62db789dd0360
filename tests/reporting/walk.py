"""The reporting module's part of the route walker (tests/walk)."""

from django.utils import timezone

from fangkong.reporting import services
from tests.walk.test_every_route import MARKER

PARAMS = [
    (r"^reporting:report_", lambda w: {"pk": w["daily_report"].pk}),
    (r"^reporting:(unit_|remind)", lambda w: {"code": w["area"].code}),
    (r"^reporting:(review|summary)", lambda w: {"code": w["report_town"].code}),
    (
        r"^reporting:due",
        lambda w: {"pk": f"{w['area'].code}:{w['daily_report'].date.isoformat()}"},
    ),
    (r"^api-reporting-report-", lambda w: {"pk": w["daily_report"].pk}),
    (r"^api-reporting-unit-", lambda w: {"code": w["area"].code}),
]


def world(tree, users, base):
    report = services.report_submit(
        actor=None,
        area=tree.village,
        date=timezone.localdate(),
        values={},
        narrative=MARKER,
    )
    return {"daily_report": report, "report_town": tree.town}
