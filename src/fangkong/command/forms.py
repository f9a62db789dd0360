"""The figures' query (area and days) as the dashboard, its data endpoint and the API read it."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.command.selectors import MAX_DAYS
from fangkong.core.models import Area
from fangkong.core.scope import is_within

# Days of the trend when the caller names none: two weeks up to the day.
DEFAULT_DAYS = 14


@dataclass(frozen=True)
class FigureQuery:
    area_code: str
    date_from: datetime.date
    date_to: datetime.date

    def as_kwargs(self) -> dict:
        return {"area_code": self.area_code, "date_from": self.date_from, "date_to": self.date_to}


def _date(params, name: str) -> datetime.date | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: _("Enter a date as YYYY-MM-DD.")}) from None


def figure_query(*, user, params) -> FigureQuery:
    """Area (default: the user's scope; outside it answers as unknown) and days from GET
    parameters `area`, `date` or `from`/`to`. Raises ValidationError with field keys."""
    code = (params.get("area") or "").strip() or user.scope_id or ""
    if not (code.isdigit() and is_within(code, user.scope_id)):
        raise ValidationError({"area": _("Unknown area.")})
    if not Area.objects.filter(code=code).exists():
        raise ValidationError({"area": _("Unknown area.")})
    day = _date(params, "date")
    date_to = day or _date(params, "to") or timezone.localdate()
    date_from = day or _date(params, "from") or date_to - datetime.timedelta(days=DEFAULT_DAYS - 1)
    if date_from > date_to:
        raise ValidationError({"from": _("The first day is after the last day.")})
    if (date_to - date_from).days >= MAX_DAYS:
        raise ValidationError({"from": _("At most %(days)s days at once.") % {"days": MAX_DAYS}})
    return FigureQuery(code, date_from, date_to)


def area_choices(*, user, current: str) -> list[Area]:
    """The picker: the user's scope, its children and, when the current area is deeper, the
    current area's own line and children; nothing outside the scope."""
    if not user.scope_id:
        return []
    codes = {user.scope_id, current}
    parents = {user.scope_id, current}
    areas = Area.objects.filter(code__in=codes) | Area.objects.filter(parent_id__in=parents)
    return [a for a in areas.order_by("code") if is_within(a.code, user.scope_id)]
