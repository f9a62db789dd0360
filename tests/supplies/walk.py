"""The supplies module's part of the route walker (tests/walk)."""

from fangkong.supplies import services
from tests.supplies import helpers
from tests.walk.test_every_route import MARKER

PARAMS = [
    (
        r"^supplies:item_ledger",
        lambda w: {"pk": w["supply_warehouse"].pk, "item": w["supply_item"].pk},
    ),
    (r"^supplies:item_", lambda w: {"pk": w["supply_item"].pk}),
    (r"^supplies:warehouse_|^supplies:.*_create", lambda w: {"pk": w["supply_warehouse"].pk}),
    (r"^supplies:inbound_", lambda w: {"pk": w["supply_inbound"].pk}),
    (r"^supplies:outbound_", lambda w: {"pk": w["supply_outbound"].pk}),
    (r"^supplies:request_", lambda w: {"pk": w["supply_request"].pk}),
    (r"^api-supply-warehouse-", lambda w: {"pk": w["supply_warehouse"].pk}),
    (r"^api-supply-request-", lambda w: {"pk": w["supply_request"].pk}),
    (r"^api-supply-outbound-", lambda w: {"pk": w["supply_outbound"].pk}),
]


def world(tree, users, base):
    items = helpers.catalogue()
    mask = items["一次性口罩"]
    store = services.warehouse_create(actor=None, area=tree.town, name=f"{MARKER}仓库")
    inbound = helpers.stock_in(store, mask, 100, supplier=f"{MARKER}公司")
    outbound = helpers.issue(store, tree.village, mask, 10, unit_name=f"{MARKER}社区")
    request = services.request_create(
        actor=users.village,
        unit_name=f"{MARKER}社区",
        unit_type="village",
        purpose=MARKER,
        lines=[{"item": mask, "quantity": 5}],
    )
    return {
        "supply_item": mask,
        "supply_warehouse": store,
        "supply_inbound": inbound,
        "supply_outbound": outbound,
        "supply_request": request,
    }
