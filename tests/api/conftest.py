"""Fixtures of the API tests: an API client per user, people in and out of scope."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture(autouse=True)
def _fast_and_fresh(settings):
    # The standard users are hashed on every test; the production hasher takes ~0.1 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Throttle counters live in the cache; every test starts with none.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}
    }
    cache.clear()


@pytest.fixture
def api():
    """An anonymous API client; `api_for(user)` gives one signed in with a session."""
    return APIClient()


@pytest.fixture
def api_for():
    def login(user):
        client = APIClient()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def people(tree):
    """Two households and four persons in 辛店街道, one each in 闻韶街道 and 淄川区."""
    home = factories.household(tree.grid, "张三", address="太公社区1号")
    home2 = factories.household(tree.village2, "李四", address="乙烯社区2号")
    return SimpleNamespace(
        home=home,
        home2=home2,
        zhang=factories.person(tree.grid, "张三", household=home),
        zhang_wife=factories.person(tree.grid, "王芳", household=home),
        grid2=factories.person(tree.grid2, "赵强"),
        li=factories.person(tree.village2, "李四", household=home2),
        other=factories.person(tree.other_village, "孙七"),
        far_home=factories.household(tree.far_village, "周八"),
        far=factories.person(tree.far_village, "周八"),
    )


def assert_error(response, status: int, code: str) -> dict:
    """The one error shape: {"message": non-empty str, "extra": {"code": code, ...}}."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"message", "extra"}
    assert isinstance(body["message"], str) and body["message"]
    assert body["extra"]["code"] == code
    return body


def snapshot():
    """Every row of people data and its history, to prove a denied write changed nothing."""
    from fangkong.people.models import Household, Person

    return (
        list(Person.objects.order_by("pk").values()),
        list(Household.objects.order_by("pk").values()),
        Person.history.count(),
        Household.history.count(),
    )
