import pytest

from tests.isolation import helpers


@pytest.fixture
def iso(tree, users):
    """An isolation task-group user of the district."""
    return helpers.isolation_user(tree.county)


@pytest.fixture
def site(tree):
    """A site in 辛店街道 with a two-bed room 101 and a one-bed room 102."""
    return helpers.site(tree.town, rooms=(("101", 2), ("102", 1)))
