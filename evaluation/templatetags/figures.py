"""Filters for pages that show many figures."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def whole(percent: float | None) -> str:
    """A percentage (0 to 100) to the nearest whole number, halves up: what
    `floatformat:0` shows for a count out of a count, at a small part of its cost (a
    dashboard shows hundreds). Text, so the template does not format the number again;
    nothing (None) shows as an empty string, as with `floatformat`."""
    if percent is None or percent == "":
        return ""
    return str(int(Decimal(str(percent)).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
