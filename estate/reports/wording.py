"""A figure in words, the same on the page, in the PDF and in the spreadsheet."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from estate.reports.dashboard import Figure, Number
from estate.reports.measures import Unit


def count_text(number: Number | None) -> str:
    if isinstance(number, Decimal):
        return f"{number:,.2f}" if number != number.to_integral_value() else f"{number:,.0f}"
    return f"{number or 0:,}"


def value_text(figure: Figure | None) -> str:
    """The actual figure without its counts: ``97.5%``, ``12``, ``3.5 h``, ``held``."""
    if figure is None:
        return "—"
    if figure.measure.key == "quarterly_activity" and figure.whole == 1:
        return _("held") if figure.part else _("not held")
    if figure.measure.unit == Unit.HOURS:
        return f"{figure.value} {_('h')}"
    if figure.measure.unit == Unit.HOUSEHOLDS:
        return count_text(figure.part)
    return _("nothing to count") if figure.value is None else f"{figure.value}%"


def counts_text(figure: Figure | None) -> str:
    """What a rate was counted over: ``39 / 40``; empty for counts and durations."""
    if figure is None or figure.measure.unit != Unit.PERCENT or not figure.whole:
        return ""
    if figure.measure.key == "quarterly_activity" and figure.whole == 1:
        return ""
    return f"{count_text(figure.part)} / {count_text(figure.whole)}"


def target_text(figure: Figure | None) -> str:
    if figure is None:
        return ""
    goal = figure.goal
    if figure.measure.unit == Unit.HOURS:
        return f"{goal:.0f} {_('h')}"
    if figure.measure.unit == Unit.HOUSEHOLDS:
        return f"≥ {goal:.0f}"
    return f"≥ {goal:.0f}%" if goal < 100 else "100%"


def mark_text(figure: Figure | None) -> str:
    if figure is None or (figure.met is None and figure.value is None):
        return "—"
    if figure.met is None:
        return _("not yet")
    return _("met") if figure.met else _("missed")
