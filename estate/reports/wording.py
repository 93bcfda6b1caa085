"""A figure in words, the same on the page, in the PDF and in the spreadsheet."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from estate.core.money import grouped
from estate.reports.measures import Figure, Number, Unit


def count_text(number: Number | None) -> str:
    if isinstance(number, Decimal):
        return grouped(number) if number != number.to_integral_value() else grouped(int(number))
    return grouped(number or 0)


def value_text(figure: Figure | None) -> str:
    """The actual figure without its counts: ``97.5%``, ``12``, ``3.5 h``, ``held``."""
    if figure is None:
        return "—"
    if figure.measure.key == "quarterly_activity" and figure.whole == 1:
        return _("held") if figure.part else _("not held")
    if figure.measure.unit == Unit.HOURS:
        return hours_text(figure.value)
    if figure.measure.unit in (Unit.HOUSEHOLDS, Unit.COUNT):
        return count_text(figure.part)
    return _("nothing to count") if figure.value is None else f"{figure.value}%"


def hours_text(hours: Decimal | None) -> str:
    return _("%(hours)s h") % {"hours": hours}


def counts_text(figure: Figure | None) -> str:
    """What a rate was counted over: ``39 / 40``; for a count, what is shown beside it (``3 due
    within 30 days``); empty for durations."""
    if figure is not None and figure.aside is not None:
        return aside_text(figure)
    if figure is None or figure.measure.unit != Unit.PERCENT or not figure.whole:
        return ""
    if figure.measure.key == "quarterly_activity" and figure.whole == 1:
        return ""
    if figure.measure.key == "satisfaction_degree":  # counted in score points: say the answers
        answers = int(figure.whole) // 4
        return ngettext("%(count)s answer", "%(count)s answers", answers) % {"count": answers}
    return f"{count_text(figure.part)} / {count_text(figure.whole)}"


def aside_text(figure: Figure) -> str:
    """The information beside a figure, never judged: the inspections due within 30 days."""
    count = figure.aside or 0
    return ngettext(
        "%(count)s more due within 30 days", "%(count)s more due within 30 days", count
    ) % {"count": count_text(count)}


def target_text(figure: Figure | None) -> str:
    if figure is None:
        return ""
    goal = figure.goal
    if figure.measure.unit == Unit.HOURS:
        return hours_text(goal.quantize(Decimal(1)))
    if figure.measure.unit == Unit.HOUSEHOLDS:
        return f"≥ {goal:.0f}"
    if figure.measure.unit == Unit.COUNT:
        return f"{goal:.0f}" if goal == 0 else f"≤ {goal:.0f}"
    return f"≥ {goal:.0f}%" if goal < 100 else "100%"


def verdict_state(figure: Figure | bool | None) -> str:
    """How a figure stands against its target: ``met``, ``missed``, ``open`` (short, but its
    stretch still runs) or ``none`` (nothing counted). A bare True or False is met or missed."""
    if isinstance(figure, bool):
        return "met" if figure else "missed"
    if figure is None or (figure.met is None and figure.value is None):
        return "none"
    if figure.met is None:
        return "open"
    return "met" if figure.met else "missed"


def mark_text(figure: Figure | None) -> str:
    state = verdict_state(figure)
    if state == "none":
        return "—"
    if state == "open":
        return _("not yet")
    return _("met") if state == "met" else _("missed")
