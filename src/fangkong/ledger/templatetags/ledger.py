"""Template helpers of the ledger: `{% load ledger %}`."""

import datetime

from django import template
from django.utils import timezone

from fangkong.ledger import selectors
from fangkong.ledger.models import KeyPerson

register = template.Library()
_STATES = dict(KeyPerson.State.choices)


@register.filter
def kp_state(value: str) -> str:
    return str(_STATES.get(value, value))


@register.filter
def days_left(day: datetime.date | None) -> int:
    """Days of observation left, today included."""
    if not day:
        return 0
    return max(0, (day - timezone.localdate()).days + 1)


@register.inclusion_tag("ledger/includes/person_periods.html", takes_context=True)
def person_ledger(context, person):
    """The ledger periods and timeline of a person, for the person page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"periods": [], "shown": False}
    return {
        "periods": selectors.person_periods(user=user, person=person),
        "shown": user.has_perm("ledger.view_keyperson"),
        "person": person,
        "perms": context.get("perms"),
    }
