"""How a figure reads on a page: its value with the counts behind it, and its target."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from estate.reports import periods
from estate.reports.measures import Figure
from estate.reports.periods import Period
from estate.reports.wording import counts_text, target_text, value_text, verdict_state

register = template.Library()


@register.simple_tag
def figure_value(figure: Figure | None) -> SafeString:
    counts = counts_text(figure)
    if not counts:
        return format_html("{}", value_text(figure))
    return format_html(
        '{} <span class="small text-body-secondary">({})</span>', value_text(figure), counts
    )


@register.simple_tag
def figure_target(figure: Figure | None) -> str:
    return target_text(figure)


@register.inclusion_tag("reports/_verdict.html")
def verdict(
    figure: Figure | bool | None, office_pk: int | None = None, period: Any = None
) -> dict[str, Any]:
    """A figure's verdict as a badge, the same on every page: met, missed, not yet, or nothing
    counted. Given the office and period, a missed figure links to what lies behind it."""
    state = verdict_state(figure)
    href = ""
    if state == "missed" and isinstance(figure, Figure) and office_pk and period:
        href = f"{reverse('reports:drill', args=[figure.measure.key])}?office={office_pk}&period={period}"
    return {"state": state, "href": href}


@register.simple_tag
def quick_periods() -> list[tuple[str, Period]]:
    return periods.quick_periods(timezone.localdate())
