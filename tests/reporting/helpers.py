"""Builders of the reporting tests."""

import datetime

from django.utils import timezone

from fangkong.reporting import services
from fangkong.reporting.form import COUNT_KEYS
from tests import factories


def zeros() -> dict:
    return dict.fromkeys(COUNT_KEYS, 0)


def submit(user, unit, date=None, **values):
    reasons = values.pop("reasons", {})
    narrative = values.pop("narrative", "")
    return services.report_submit(
        actor=user,
        area=unit,
        date=date or timezone.localdate(),
        values={**zeros(), **values},
        reasons=reasons,
        narrative=narrative,
    )


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def village_user(unit, username="village2"):
    return factories.user(username, unit, "village_staff")


def statuses(client_for, users: dict, url: str, method: str = "get", data=None) -> dict:
    found = {}
    for name, user in users.items():
        response = getattr(client_for(user), method)(url, data or {})
        found[name] = response.status_code
    return found
