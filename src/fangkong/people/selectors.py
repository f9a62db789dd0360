"""Reads of households and persons, always narrowed to the user's scope."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from fangkong.core import pii
from fangkong.core.idcard import normalize as normalize_id_number
from fangkong.core.scope import scope_filter
from fangkong.people.models import Household, Person


def person_queryset(*, user) -> QuerySet[Person]:
    return Person.objects.for_user(user).select_related("area", "household")


def household_queryset(*, user) -> QuerySet[Household]:
    return Household.objects.for_user(user).select_related("area")


def _search_q(text: str) -> Q:
    """Full ID number or phone match through the keyed hash; otherwise name or pinyin."""
    text = text.strip()
    compact = normalize_id_number(text)
    if len(compact) == 18:
        return Q(id_number_hash=pii.digest(compact))
    digits = compact.replace("-", "")
    if digits.isdigit() and len(digits) >= 7:
        return Q(phone_hash=pii.digest(digits))
    if text.isascii():
        return Q(name_pinyin__contains=text.lower())
    return Q(name__startswith=text)


def person_list(
    *,
    user,
    q: str = "",
    area: str = "",
    sex: str = "",
    age_min: int | None = None,
    age_max: int | None = None,
    household: int | None = None,
) -> QuerySet[Person]:
    qs = person_queryset(user=user)
    if area:
        qs = qs.filter(scope_filter("area", area))
    if q:
        qs = qs.filter(_search_q(q))
    if sex:
        qs = qs.filter(sex=sex)
    today = timezone.localdate()
    if age_min is not None:
        qs = qs.filter(birth_date__lte=_years_before(today, age_min))
    if age_max is not None:
        qs = qs.filter(birth_date__gt=_years_before(today, age_max + 1))
    if household is not None:
        qs = qs.filter(household_id=household)
    return qs.order_by("area_id", "id")


def household_list(*, user, q: str = "", area: str = "") -> QuerySet[Household]:
    qs = household_queryset(user=user)
    if area:
        qs = qs.filter(scope_filter("area", area))
    if q:
        qs = qs.filter(Q(head_name__startswith=q.strip()) | Q(address__contains=q.strip()))
    return qs.order_by("area_id", "id")


def household_member_counts(*, user, household_ids: list[int]) -> dict[int, int]:
    """Members in scope per household, for the households of one list page only."""
    if not household_ids:
        return {}
    rows = (
        person_queryset(user=user)
        .filter(household_id__in=household_ids)
        .values("household_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["household_id"]: row["n"] for row in rows}


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
