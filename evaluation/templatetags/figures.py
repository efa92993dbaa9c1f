"""Filters for pages that show many figures."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.html import format_html

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


NUMERIC = "nhsuk-table__cell nhsuk-table__cell--numeric"


@register.simple_tag
def outcome_cells(row, period_name: str, compact: bool) -> str:
    """The cells of one period of an outcome measure's table: the period, its responses
    and, from 5 responses, the % (with the count said yes and the 95% interval unless
    `compact`). Made here rather than in the template because a table lists up to 52
    weeks twice, and each cell's lookups cost the template more than the figures do:
    with every week answered, the page took a fifth longer than with few."""
    start = row.period_start
    period = f"{start:%-d %b %Y}" if period_name == "week" else f"{start:%B %Y}"
    rest_span = 1 if compact else 3
    if row.missing:
        return format_html(
            '<td class="nhsuk-table__cell">{}</td><td class="{}">0</td>'
            '<td class="nhsuk-table__cell" colspan="{}">No responses</td>',
            period, NUMERIC, rest_span,
        )
    if row.is_small_number:
        return format_html(
            '<td class="nhsuk-table__cell">{}</td><td class="{}">{}</td>'
            '<td class="nhsuk-table__cell" colspan="{}">Fewer than 5 responses</td>',
            period, NUMERIC, row.responses, rest_span,
        )
    if compact:
        return format_html(
            '<td class="nhsuk-table__cell">{}</td><td class="{}">{}</td><td class="{}">{}%</td>',
            period, NUMERIC, row.responses, NUMERIC, whole(row.percent),
        )
    return format_html(
        '<td class="nhsuk-table__cell">{}</td><td class="{}">{}</td><td class="{}">{}</td>'
        '<td class="{}">{}%</td><td class="nhsuk-table__cell">{}% to {}%</td>',
        period, NUMERIC, row.responses, NUMERIC, row.successes, NUMERIC, whole(row.percent),
        whole(row.ci_low), whole(row.ci_high),
    )
