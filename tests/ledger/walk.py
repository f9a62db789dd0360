"""The ledger's part of the route walker (tests/walk/test_every_route.py)."""

from fangkong.ledger import services
from fangkong.ledger.models import Category, RiskArea
from tests.ledger import helpers
from tests.walk.test_every_route import MARKER

PUBLIC = {"ledger:selfreg", "ledger:selfreg_done", "ledger:selfreg_areas"}

PARAMS = [
    (r"^ledger:push_", lambda w: {"pk": w["push"].pk}),
    (r"^ledger:keyperson_", lambda w: {"pk": w["key_person"].pk, "member": w["member"].pk}),
    (r"^ledger:outbound_", lambda w: {"pk": w["outbound"].pk}),
    (r"^ledger:category_", lambda w: {"pk": w["category"].pk}),
    (r"^ledger:riskarea_", lambda w: {"pk": w["risk_area"].pk}),
    (r"^ledger:person_", lambda w: {"pk": w["person"].pk}),
    (r"^api-keyperson-", lambda w: {"pk": w["key_person"].pk}),
    (r"^api-push-", lambda w: {"pk": w["push"].pk}),
]


def world(tree, users, base):
    key_person = helpers.key_person(tree.grid, person=base["person"])
    member = services.team_member_set(
        actor=None, key_person=key_person, role="doctor", name=MARKER, phone="13800001111"
    )
    risk_area = RiskArea.objects.create(
        region_code="4201", name=MARKER, level="high", listed_on="2020-01-23"
    )
    return {
        "push": helpers.push(tree.grid, MARKER),
        "key_person": key_person,
        "member": member,
        "outbound": helpers.outbound(tree.town, MARKER),
        "category": Category.objects.first(),
        "risk_area": risk_area,
    }
