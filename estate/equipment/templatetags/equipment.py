"""Template filters of the register."""

from datetime import date
from typing import Any

from django import template

register = template.Library()


@register.filter
def inspection_state(piece: Any, today: date) -> str:
    """``overdue``, ``due`` or ``""``: the colour of a piece's legal inspection date."""
    return str(piece.inspection_state(today))
