"""Reads of the channels module, each narrowed to the user's scope first."""

import datetime

from django.db.models import Count, Q

from fangkong.channels.models import Channel, Delivery
from fangkong.core.forms import day_start
from fangkong.core.scope import scope_filter


def channel_queryset(*, user):
    return Channel.objects.for_user(user)


def channel_list(*, user, area: str = ""):
    """Channels with their count of failed deliveries, for the list page."""
    channels = channel_queryset(user=user).select_related("area")
    if area:
        channels = channels.filter(scope_filter("area", area))
    return channels.annotate(
        failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED))
    )


def delivery_queryset(*, user):
    return Delivery.objects.for_user(user)


def delivery_list(
    *,
    user,
    status: str = "",
    channel: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
):
    deliveries = delivery_queryset(user=user).select_related("channel", "area")
    if status:
        deliveries = deliveries.filter(status=status)
    if channel:
        deliveries = deliveries.filter(channel_id=channel)
    # Local days as time ranges, so the (area, created_at) index serves them.
    if date_from:
        deliveries = deliveries.filter(created_at__gte=day_start(date_from))
    if date_to:
        deliveries = deliveries.filter(
            created_at__lt=day_start(date_to + datetime.timedelta(days=1))
        )
    return deliveries
