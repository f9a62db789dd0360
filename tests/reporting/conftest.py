import datetime

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Clock:
    """The time the code under test sees: today at a chosen local time (10:00 by default),
    so on-time and late do not depend on when the tests run."""

    def __init__(self, monkeypatch):
        self._real = timezone.now
        self.day = timezone.localdate()
        monkeypatch.setattr(timezone, "now", self.now)
        self.set(10, 0)

    def set(self, hour: int, minute: int = 0) -> datetime.datetime:
        tz = timezone.get_current_timezone()
        self.at = datetime.datetime.combine(self.day, datetime.time(hour, minute), tzinfo=tz)
        return self.at

    def now(self):
        return self.at


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    return Clock(monkeypatch)
