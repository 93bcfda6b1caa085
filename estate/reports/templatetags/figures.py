"""How a figure reads on a page: its value with the counts behind it, and its target."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from estate.reports import periods
from estate.reports.dashboard import Figure
from estate.reports.periods import Period
from estate.reports.wording import counts_text, target_text, value_text

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


@register.simple_tag
def quick_periods() -> list[tuple[str, Period]]:
    return periods.quick_periods(timezone.localdate())
