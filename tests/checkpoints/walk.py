"""The checkpoints module's part of the route walker (tests/walk/test_every_route.py)."""

from fangkong.checkpoints import services
from tests import factories

PUBLIC = {
    "checkpoints:prefill_start",
    "checkpoints:prefill_done",
    "checkpoints:prefill_destinations",
}

PARAMS = [
    (r"^checkpoints:checkpoint_", lambda w: {"pk": w["checkpoint"].pk}),
    (r"^checkpoints:vehiclecheck_", lambda w: {"pk": w["vehicle"].pk}),
    (
        r"^checkpoints:prefill_",
        lambda w: {"token": w["qr_token"], "code": w["prefill"].code},
    ),
    (r"^api-checkpoint-", lambda w: {"pk": w["checkpoint"].pk}),
    (r"^api-vehiclecheck-", lambda w: {"pk": w["vehicle"].pk}),
]


def world(tree, users, base) -> dict:
    from tests.walk.test_every_route import MARKER

    checkpoint = services.checkpoint_create(
        actor=None, area=tree.village, name=MARKER, level=3, kind="village_entrance"
    )
    vehicle = services.vehicle_register(
        actor=None,
        checkpoint=checkpoint,
        plate="鲁C12345",
        vehicle_kind="car",
        occupants=[
            {
                "name": MARKER,
                "id_number": factories.id_number("420106"),
                "origin": "湖北省武汉市",
                "temperature": "36.6",
                "destination_area": tree.grid.code,
            }
        ],
    )
    prefill = services.prefill_create(
        checkpoint=checkpoint,
        plate="鲁C54321",
        vehicle_kind="car",
        occupants=[
            {
                "name": MARKER,
                "id_number": factories.id_number("420106"),
                "origin": "湖北省武汉市",
                "destination_area": tree.grid.code,
            }
        ],
    )
    return {
        "checkpoint": checkpoint,
        "vehicle": vehicle,
        "prefill": prefill,
        "qr_token": services.qr_token(checkpoint),
    }
