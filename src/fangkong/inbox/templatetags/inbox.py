"""`{% load inbox %}`: the navigation badge and notification links."""

from django import template

from fangkong.inbox import links, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_unread(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return selectors.unread_count(user=user)


@register.filter
def action_url(notification) -> str:
    return links.target_url(notification)
