"""Rates as shown to people: a percentage to one place (or two), halves rounded up, none of nothing."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")
TWO_PLACES = Decimal("0.01")


def percent(
    part: int | Decimal, whole: int | Decimal, places: Decimal = ONE_PLACE
) -> Decimal | None:
    """``part`` of ``whole`` in percent; None when there was nothing to count."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(places, rounding=ROUND_HALF_UP)
