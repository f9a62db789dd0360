"""A scenario for the command's figures: the demo loop (checkpoints, pushes received and
answered, health logs, releases, an isolation site) written through the real services."""

import datetime

import pytest
from django.utils import timezone

from fangkong.demo.loop import demo_loop_load
from tests import factories

TODAY = datetime.date(2020, 2, 10)


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load(tree, *, per_day: int = 6, days: int = 5, today: datetime.date | None = None):
    """Residents in every grid, then the demo loop up to `today` (default: the real today,
    so the loop's "now" cut-offs hold)."""
    for grid in (tree.grid, tree.grid2, tree.grid3, tree.other_grid):
        factories.persons(grid, 3)
    return demo_loop_load(today=today or timezone.localdate(), days=days, per_day=per_day)


@pytest.fixture
def scenario(tree, users):
    return load(tree)
