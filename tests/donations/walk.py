"""The donations module's part of the route walker (tests/walk/test_every_route.py)."""

from decimal import Decimal

from fangkong.donations import services
from tests import factories
from tests.donations import helpers
from tests.walk.test_every_route import MARKER

PUBLIC = {"donations:public", "donations:public_export"}

PARAMS = [
    (r"^donations:public", lambda w: {"district_code": "370305"}),
    (r"^donations:donor_", lambda w: {"pk": w["donor"].pk}),
    (r"^donations:", lambda w: {"pk": w["donation"].pk}),
    (r"^api-donation-", lambda w: {"pk": w["donation"].pk}),
]


def world(tree, users, base):
    items = helpers.catalogue()
    town_staff = factories.user("walk_supplies", tree.town, "task_supplies")
    donor = services.donor_create(
        actor=town_staff, kind="individual", name=MARKER, phone="13905331234"
    )
    donation = helpers.donation(
        town_staff, tree.town, donor, amount=Decimal(100), lines=[(items.masks, 10, 15)]
    )
    return {"donor": donor, "donation": donation}
