from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def qty(value) -> str:
    """12.00 -> "12", 1.50 -> "1.5", None -> "—"."""
    if value is None or value == "":
        return "—"
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def approved_of(posted, pk) -> str:
    """The approved quantity a refused decision form had for line `pk`."""
    return posted.get(f"approved_{pk}", "") if posted else ""


@register.filter
def reason_of(posted, pk) -> str:
    return posted.get(f"reason_{pk}", "") if posted else ""
