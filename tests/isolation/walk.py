"""The isolation module's part of the route walker (tests/walk)."""

from tests.isolation import helpers
from tests.walk.test_every_route import MARKER

PARAMS = [
    (r"^isolation:site_", lambda w: {"pk": w["isolation_site"].pk}),
    (r"^isolation:room_", lambda w: {"pk": w["isolation_room"].pk}),
    (r"^isolation:stay_", lambda w: {"pk": w["isolation_stay"].pk}),
    (r"^isolation:transfer_", lambda w: {"pk": w["isolation_transfer"].pk}),
    (r"^api-isolation-site-", lambda w: {"pk": w["isolation_site"].pk}),
]


def world(tree, users, base):
    site = helpers.site(tree.town, MARKER, rooms=(("101", 2),))
    key_person = helpers.key_person(tree.grid, MARKER)
    transfer = helpers.transfer(site, key_person, vehicle_plate="鲁C54321")
    stay = helpers.check_in(site, key_person)
    return {
        "isolation_site": site,
        "isolation_room": site.rooms.get(),
        "isolation_stay": stay,
        "isolation_transfer": transfer,
    }
