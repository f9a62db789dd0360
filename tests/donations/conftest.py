import pytest

from tests.donations import helpers


@pytest.fixture
def items(db):
    return helpers.catalogue()


@pytest.fixture
def staff(tree, users):
    return helpers.staff(tree)


@pytest.fixture
def store(tree):
    return helpers.warehouse(tree.county)


@pytest.fixture
def town_store(tree):
    return helpers.warehouse(tree.town, "辛店街道物资库")
