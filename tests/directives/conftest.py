import pytest

from tests.directives import helpers


@pytest.fixture
def sent(users, tree):
    """A directive from the district to 辛店街道 and its village 太公."""
    return helpers.directive(users.command, [tree.town, tree.village])
