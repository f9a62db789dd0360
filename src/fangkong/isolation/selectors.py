"""Reads of the isolation module, each narrowed to the user's scope first.

Occupancy is computed in the database by correlated subqueries (beds of the rooms in service,
open stays), so a list of sites costs one query however many sites, rooms and residents.
"""

import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from fangkong.core.scope import scope_filter
from fangkong.isolation.models import DailyService, Room, Site, Stay, Transfer
from fangkong.ledger.models import KeyPerson

# Key persons offered by the check-in and transfer pickers.
CANDIDATE_LIMIT = 30


def _person_q(text: str, prefix: str = "key_person__person__") -> Q:
    """A name, or its pinyin ("zs" finds 张三), as the person list searches."""
    text = text.strip()
    if text.isascii():
        return Q(**{f"{prefix}name_pinyin__contains": text.lower()})
    return Q(**{f"{prefix}name__startswith": text})


def _capacity():
    beds = (
        Room.objects.filter(site=OuterRef("pk"), in_service=True)
        .order_by()
        .values("site")
        .annotate(total=Sum("beds"))
        .values("total")
    )
    return Coalesce(Subquery(beds, output_field=IntegerField()), Value(0))


def _occupied():
    stays = (
        Stay.objects.filter(site=OuterRef("pk"), checked_out_at__isnull=True)
        .order_by()
        .values("site")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(stays, output_field=IntegerField()), Value(0))


def site_queryset(*, user):
    return Site.objects.for_user(user)


def with_occupancy(sites):
    """Sites annotated with `capacity` (beds in service) and `occupied` (persons in)."""
    return sites.annotate(capacity=_capacity(), occupied=_occupied())


def site_list(*, user, q: str = "", area: str = "", active: bool | None = None):
    sites = with_occupancy(site_queryset(user=user).select_related("area"))
    if q:
        sites = sites.filter(Q(name__contains=q) | Q(address__contains=q))
    if area:
        sites = sites.filter(scope_filter("area", area))
    if active is not None:
        sites = sites.filter(active=active)
    return sites


def free_beds(site) -> int:
    return max(0, site.capacity - site.occupied)


def rooms_with_occupancy(*, site: Site):
    """The rooms of a site, each with `occupied` (open stays)."""
    return site.rooms.annotate(
        occupied=Count("stays", filter=Q(stays__checked_out_at__isnull=True))
    ).order_by("number")


def rooms_with_free_beds(*, site: Site) -> list[Room]:
    return [
        room
        for room in rooms_with_occupancy(site=site).filter(in_service=True)
        if room.occupied < room.beds
    ]


def stay_queryset(*, user):
    return Stay.objects.for_user(user)


def stay_list(
    *,
    user,
    site: int | None = None,
    current: bool | None = None,
    q: str = "",
    area: str = "",
):
    stays = stay_queryset(user=user).select_related(
        "site", "room", "key_person__person", "key_person__category"
    )
    if site:
        stays = stays.filter(site_id=site)
    if current is True:
        stays = stays.filter(checked_out_at__isnull=True)
    elif current is False:
        stays = stays.filter(checked_out_at__isnull=False)
    if q:
        stays = stays.filter(_person_q(q))
    if area:
        stays = stays.filter(scope_filter("area", area))
    return stays


def residents(*, user, site: Site):
    """Who is in the site now, by room."""
    return (
        stay_queryset(user=user)
        .filter(site=site, checked_out_at__isnull=True)
        .select_related("room", "key_person__person", "key_person__category")
        .order_by("room__number", "checked_in_at", "pk")
    )


def transfer_queryset(*, user):
    return Transfer.objects.for_user(user)


def transfer_list(
    *, user, site: int | None = None, undisinfected: bool = False, q: str = "", area: str = ""
):
    transfers = transfer_queryset(user=user).select_related("site", "key_person__person")
    if site:
        transfers = transfers.filter(site_id=site)
    if undisinfected:
        transfers = transfers.filter(disinfected=False)
    if q:
        transfers = transfers.filter(_person_q(q) | Q(vehicle_plate__contains=q.upper()))
    if area:
        transfers = transfers.filter(scope_filter("area", area))
    return transfers


def candidates(*, user, site: Site | None, q: str = "") -> list[KeyPerson]:
    """Key persons a check-in or a transfer may pick: open, in the user's scope, not in a
    site now. Those brought to `site` by a transfer come first; a search finds others."""
    open_persons = (
        KeyPerson.objects.for_user(user)
        .filter(state__in=[KeyPerson.State.PENDING, KeyPerson.State.MANAGED])
        .exclude(pk__in=Stay.objects.filter(checked_out_at__isnull=True).values("key_person_id"))
        .select_related("person", "category")
    )
    found: list[KeyPerson] = []
    if site is not None:
        found = list(
            open_persons.filter(transfers__site=site).distinct().order_by("-pk")[:CANDIDATE_LIMIT]
        )
    q = q.strip()
    if q:
        seen = {kp.pk for kp in found}
        matches = open_persons.filter(_person_q(q, "person__")).order_by("person__name", "pk")[
            :CANDIDATE_LIMIT
        ]
        found += [kp for kp in matches if kp.pk not in seen]
    return found


def candidate(*, user, pk) -> KeyPerson | None:
    return KeyPerson.objects.for_user(user).filter(pk=pk).select_related("person").first()


def service_sheet(*, user, site: Site, date: datetime.date) -> list[tuple[Stay, DailyService]]:
    """One row per person in the site on `date`, with that day's services (unsaved if none).

    Two queries: the stays, then the day's services of those stays.
    """
    day_start, day_end = _day_bounds(date)
    stays = list(
        stay_queryset(user=user)
        .filter(site=site, checked_in_at__lt=day_end)
        .filter(Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=day_start))
        .select_related("room", "key_person__person")
        .order_by("room__number", "checked_in_at", "pk")
    )
    services = {
        s.stay_id: s for s in DailyService.objects.filter(stay__in=[s.pk for s in stays], date=date)
    }
    return [
        (stay, services.get(stay.pk) or DailyService(stay=stay, area_id=stay.area_id, date=date))
        for stay in stays
    ]


def _day_bounds(date: datetime.date):
    from fangkong.core.forms import day_start

    return day_start(date), day_start(date + datetime.timedelta(days=1))


def transfers_of(*, user, site: Site, limit: int = 20):
    return (
        transfer_queryset(user=user)
        .filter(site=site)
        .select_related("key_person__person")
        .order_by("-departed_at", "-id")[:limit]
    )
