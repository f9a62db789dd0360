import pytest

from tests import factories
from tests.supplies import helpers


@pytest.fixture
def items(db):
    return helpers.catalogue()


@pytest.fixture
def district_store(tree):
    return helpers.warehouse(tree.county, "区物资储备库")


@pytest.fixture
def town_store(tree):
    return helpers.warehouse(tree.town, "辛店街道物资库")


@pytest.fixture
def keeper(tree, users):
    """The district's supplies task group."""
    return factories.user("keeper", tree.county, "task_supplies")
