"""The briefings module's part of the route walker (tests/walk)."""

from django.utils import timezone

from fangkong.briefings import services
from tests.walk.test_every_route import MARKER

PARAMS = [
    (r"^briefings:", lambda w: {"pk": w["briefing"].pk}),
    (r"^api-briefing-", lambda w: {"pk": w["briefing"].pk}),
]


def world(tree, users, base):
    briefing, _created = services.briefing_generate(
        actor=users.command, area=tree.town, date=timezone.localdate()
    )
    services.briefing_update(
        actor=users.command,
        briefing=briefing,
        texts={"overall": f"{MARKER}总体情况"},
        office=f"{MARKER}办公室",
        report_to=MARKER,
        send_to=MARKER,
    )
    return {"briefing": briefing}
