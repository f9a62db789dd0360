"""Reads of pushes and the key-person ledger, always narrowed to the user's scope."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from fangkong.core import pii
from fangkong.core.idcard import normalize as normalize_id_number
from fangkong.core.scope import scope_filter
from fangkong.ledger.models import (
    Category,
    Contact,
    KeyPerson,
    KeyPersonEvent,
    Outbound,
    Push,
    RiskArea,
    TeamMember,
)
from fangkong.ledger.services import overdue_condition

OPEN_PUSH_STATES = (Push.State.PENDING, Push.State.ANSWERED)
OPEN_KEYPERSON_STATES = (KeyPerson.State.PENDING, KeyPerson.State.MANAGED)
# How many links of a contact chain are followed (case → contact → contact of contact …).
CHAIN_DEPTH = 3
CHAIN_LIMIT = 500


# -- pushes ------------------------------------------------------------------------------------


def push_queryset(*, user) -> QuerySet[Push]:
    return Push.objects.for_user(user).select_related("area", "category")


def push_pending(*, user) -> QuerySet[Push]:
    """The village's "待接收": pending pushes in scope, oldest first."""
    return push_queryset(user=user).filter(state=Push.State.PENDING).order_by("created_at", "id")


def push_open(
    *, user, state: str = "", area: str = "", source: str = "", q: str = ""
) -> QuerySet[Push]:
    """Pending and answered pushes: what the town and the command must see to the end."""
    qs = push_queryset(user=user).filter(state__in=OPEN_PUSH_STATES)
    if state:
        qs = qs.filter(state=state)
    if area:
        qs = qs.filter(scope_filter("area", area))
    if source:
        qs = qs.filter(source=source)
    if q:
        qs = qs.filter(_identity_q(q, name_field="name"))
    return qs.order_by("created_at", "id")


def push_overdue(*, user, now: datetime.datetime | None = None) -> QuerySet[Push]:
    """Pending pushes older than their district's receipt_overdue_hours."""
    if not user.is_authenticated or not user.scope_id:
        return Push.objects.none()
    now = now or timezone.now()
    return (
        push_queryset(user=user)
        .filter(overdue_condition(now=now, scope=user.scope_id))
        .order_by("created_at", "id")
    )


def push_history(push: Push, *, user) -> list[Push]:
    """The chain of redirects this push is part of, oldest first, as far as the user sees."""
    visible = push_queryset(user=user).select_related("created_by", "handled_by")
    chain = [push]
    current = push
    for _step in range(20):
        if not current.redirected_from_id:
            break
        previous = visible.filter(pk=current.redirected_from_id).first()
        if previous is None:
            break
        chain.insert(0, previous)
        current = previous
    current = push
    for _step in range(20):
        following = visible.filter(redirected_from_id=current.pk).first()
        if following is None:
            break
        chain.append(following)
        current = following
    return chain


# -- outbound ----------------------------------------------------------------------------------


def outbound_list(*, user, sent: str = "", q: str = "") -> QuerySet[Outbound]:
    qs = Outbound.objects.for_user(user).select_related("area", "sent_by")
    if sent == "no":
        qs = qs.filter(sent_at__isnull=True)
    elif sent == "yes":
        qs = qs.filter(sent_at__isnull=False)
    if q:
        qs = qs.filter(_identity_q(q, name_field="name"))
    return qs.order_by("-passed_at", "-id")


# -- key persons -------------------------------------------------------------------------------


def keyperson_queryset(*, user) -> QuerySet[KeyPerson]:
    return KeyPerson.objects.for_user(user).select_related("person", "area", "category")


def _identity_q(text: str, *, name_field: str, prefix: str = "") -> Q:
    """Full ID number or phone through the keyed hash, otherwise the name's beginning."""
    text = text.strip()
    compact = normalize_id_number(text)
    if len(compact) == 18:
        return Q(**{f"{prefix}id_number_hash": pii.digest(compact)})
    digits = compact.replace("-", "")
    if digits.isdigit() and len(digits) >= 7:
        return Q(**{f"{prefix}phone_hash": pii.digest(digits)})
    if prefix and text.isascii():
        return Q(**{f"{prefix}name_pinyin__contains": text.lower()})
    return Q(**{f"{name_field}__startswith": text})


def keyperson_list(
    *,
    user,
    q: str = "",
    state: str = "",
    category: int | None = None,
    measure: str = "",
    area: str = "",
    source: str = "",
    end_from: datetime.date | None = None,
    end_to: datetime.date | None = None,
    mine: bool = False,
) -> QuerySet[KeyPerson]:
    qs = keyperson_queryset(user=user)
    if state == "open":
        qs = qs.filter(state__in=OPEN_KEYPERSON_STATES)
    elif state:
        qs = qs.filter(state=state)
    if category:
        qs = qs.filter(category_id=category)
    if measure:
        qs = qs.filter(measure=measure)
    if area:
        qs = qs.filter(scope_filter("area", area))
    if source:
        qs = qs.filter(source=source)
    if end_from:
        qs = qs.filter(period_end__gte=end_from)
    if end_to:
        qs = qs.filter(period_end__lte=end_to)
    if q:
        qs = qs.filter(_identity_q(q, name_field="person__name", prefix="person__"))
    if mine:
        qs = qs.filter(team__user=user)
    return qs.order_by("period_end", "id")


def keyperson_mine(*, user) -> QuerySet[KeyPerson]:
    """The open key persons whose 五包一 team the user belongs to."""
    return keyperson_list(user=user, state="open", mine=True)


def keyperson_managed(*, user) -> QuerySet[KeyPerson]:
    return keyperson_queryset(user=user).filter(state__in=OPEN_KEYPERSON_STATES)


def keyperson_events(key_person: KeyPerson) -> QuerySet[KeyPersonEvent]:
    return key_person.events.select_related(None).order_by("at", "id")


def keyperson_team(key_person: KeyPerson) -> list[TeamMember]:
    order = {value: n for n, value in enumerate(TeamMember.Role.values)}
    return sorted(key_person.team.select_related("user"), key=lambda m: order.get(m.role, 99))


def person_periods(*, user, person) -> list[KeyPerson]:
    """The ledger periods of one person the user may see, newest first, with their events.

    Two queries when there are periods, one when there are none (for the person page).
    """
    if not user.has_perm("ledger.view_keyperson"):
        return []
    periods = list(
        KeyPerson.objects.for_user(user)
        .filter(person_id=person.pk)
        .select_related("category", "area")
        .order_by("-created_at", "-id")
    )
    if periods:
        events: dict[int, list] = {p.pk: [] for p in periods}
        for event in KeyPersonEvent.objects.filter(key_person_id__in=events).order_by("at", "id"):
            events[event.key_person_id].append(event)
        for period in periods:
            period.timeline = events[period.pk]
    return periods


# -- contacts ----------------------------------------------------------------------------------


def contact_chain(*, user, person, depth: int = CHAIN_DEPTH) -> list[dict]:
    """Contacts of `person`, then their contacts, up to `depth` links, as far as the user's
    scope reaches: [{"level": 1, "link": Contact}, …], one query per level."""
    depth = max(1, min(depth, 5))
    visible = Contact.objects.for_user(user).select_related("contact", "source", "area")
    seen = {person.pk}
    frontier = [person.pk]
    chain: list[dict] = []
    for level in range(1, depth + 1):
        if not frontier or len(chain) >= CHAIN_LIMIT:
            break
        links = list(visible.filter(source_id__in=frontier).order_by("source_id", "id"))
        frontier = []
        for link in links:
            if link.contact_id in seen:
                continue
            seen.add(link.contact_id)
            frontier.append(link.contact_id)
            chain.append({"level": level, "link": link})
    return chain[:CHAIN_LIMIT]


def contact_sources(*, user, person) -> QuerySet[Contact]:
    """Whom `person` is a contact of (the links naming them)."""
    return (
        Contact.objects.for_user(user)
        .filter(contact_id=person.pk)
        .select_related("source", "source__area")
    )


# -- configuration -----------------------------------------------------------------------------


def category_list(*, active_only: bool = False) -> QuerySet[Category]:
    qs = Category.objects.all()
    return qs.filter(active=True) if active_only else qs


def riskarea_list() -> QuerySet[RiskArea]:
    return RiskArea.objects.order_by("-active", "region_code")


# -- home --------------------------------------------------------------------------------------


def home_panel(request) -> dict:
    """What waits for the user in the push loop, counted in one query (two with overdue)."""
    from django.db.models import Count

    user = request.user
    receives = user.has_perm("ledger.receive_push")
    resolves = user.has_perm("ledger.resolve_push")
    figures = {"pending": 0, "answered": 0, "overdue": 0}
    if not user.scope_id or not (receives or resolves):
        return {"receives": False, "resolves": False, **figures}
    aggregates = {
        "pending": Count("id", filter=Q(state=Push.State.PENDING)),
        "answered": Count("id", filter=Q(state=Push.State.ANSWERED)),
    }
    if resolves:
        condition = overdue_condition(now=timezone.now(), scope=user.scope_id)
        aggregates["overdue"] = Count("id", filter=condition)
    figures.update(
        Push.objects.for_user(user).filter(state__in=OPEN_PUSH_STATES).aggregate(**aggregates)
    )
    return {"receives": receives, "resolves": resolves, **figures}
