"""Fixtures of the checkpoint tests: a checkpoint in 辛店街道 with two shifts, its staff."""

import datetime

import pytest
from django.core.cache import cache

from fangkong.checkpoints import services
from tests import factories


@pytest.fixture(autouse=True)
def _fast_and_fresh(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rate-limit counters live in the cache; every test starts with none.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "checkpoints",
        }
    }
    cache.clear()


@pytest.fixture
def checkpoint(tree):
    return services.checkpoint_create(
        actor=None,
        area=tree.town,
        name="辛店收费站卡口",
        level=1,
        kind="highway_exit",
        location="G20 辛店出口",
        shifts=[
            ("白班", datetime.time(8), datetime.time(20)),
            ("夜班", datetime.time(20), datetime.time(8)),
        ],
    )


@pytest.fixture
def staff(tree, users, checkpoint):
    """Checkpoint staff of 辛店街道 assigned to `checkpoint`."""
    user = factories.user("guard", tree.town, "checkpoint_staff")
    checkpoint.staff.add(user)
    return user


def occupant(**values) -> dict:
    """One valid occupant bound for 太公社区第1网格 from 武汉."""
    data = {
        "name": "李四",
        "id_number": factories.id_number("420106"),
        "phone": "13912345678",
        "origin": "湖北省武汉市武昌区",
        "temperature": "36.5",
        "destination_area": "370305003001001",
        "notice_given": True,
        "outcome": "pass",
    }
    data.update(values)
    return data


def register(actor, checkpoint, *occupants, plate="鲁C12345", kind="car", **kwargs):
    return services.vehicle_register(
        actor=actor,
        checkpoint=checkpoint,
        plate=plate,
        vehicle_kind=kind,
        occupants=list(occupants) or [occupant()],
        **kwargs,
    )
