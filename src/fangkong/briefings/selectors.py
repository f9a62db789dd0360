"""Reads of briefings, narrowed to the user's scope. Readers who may not edit (a town
reading its briefings) see published briefings only: drafts are the office's working copy."""

import datetime

from django.db.models import Q, QuerySet

from fangkong.briefings.models import Briefing

VIEW = "briefings.view_briefing"
ADD = "briefings.add_briefing"
CHANGE = "briefings.change_briefing"
APPROVE = "briefings.approve_briefing"
PUBLISH = "briefings.publish_briefing"


def briefing_queryset(*, user) -> QuerySet:
    if not user.has_perm(VIEW):
        return Briefing.objects.none()
    briefings = Briefing.objects.for_user(user)
    if not user.has_perm(CHANGE):
        briefings = briefings.filter(state=Briefing.State.PUBLISHED)
    return briefings


def briefing_list(
    *,
    user,
    q: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    state: str = "",
) -> QuerySet:
    briefings = briefing_queryset(user=user)
    q = (q or "").strip()
    if q:
        match = Q(search_text__contains=q) | Q(office__contains=q) | Q(area__name__contains=q)
        digits = q.removeprefix("第").removesuffix("期")
        if digits.isdigit():
            match |= Q(sequence=int(digits))
        briefings = briefings.filter(match)
    if date_from:
        briefings = briefings.filter(date__gte=date_from)
    if date_to:
        briefings = briefings.filter(date__lte=date_to)
    if state:
        briefings = briefings.filter(state=state)
    return (
        briefings.select_related("area")
        .defer("figures", "search_text", "sections")
        .order_by("-date", "-id")
    )


def briefing_for(*, user, pk) -> Briefing | None:
    return briefing_queryset(user=user).select_related("area").filter(pk=pk).first()
