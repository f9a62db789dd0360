"""The shared test base: a small district with users at every level.

Layout (codes are real 临淄区 codes):
  37 山东省 / 3703 淄博市 / 370305 临淄区
    370305003 辛店街道  -> villages 370305003001, 370305003002, each with grids 001, 002
    370305001 闻韶街道  -> village 370305001001, grid 001
  370302 淄川区 -> 370302001 -> 370302001001 (the outsider's district)
"""

import pytest

from tests import factories

# Browser fixtures (one Chromium for the whole session), for tests under any folder.
pytest_plugins = ["tests.browser.fixtures"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tree(db):
    return factories.area_tree()


@pytest.fixture
def users(tree):
    """command (district), town (辛店街道 admin), village, grid, norole (辛店, no role),
    other_town (闻韶街道 admin: wrong scope), outsider (淄川区 command)."""
    return factories.standard_users(tree)


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login
