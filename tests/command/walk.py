"""The command's part of the route walker (tests/walk): its routes take no parameters; a
checkpoint named MARKER in 辛店街道 proves other scopes' dashboards do not show it."""

from fangkong.checkpoints.services import checkpoint_create
from tests.walk.test_every_route import MARKER


def world(tree, users, base):
    point = checkpoint_create(
        actor=None, area=tree.town, name=MARKER, level=2, kind="road", location="", shifts=[]
    )
    return {"command_checkpoint": point}
