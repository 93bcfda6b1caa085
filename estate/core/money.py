"""Money: Decimal yuan with two places, one rounding rule, and splits that add up exactly."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(amount: Decimal) -> Decimal:
    """Round to the cent, halves away from zero (四捨五入): the one rule for every amount."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def split(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` (in cents) over ``weights`` so the parts add up to it exactly.

    Largest remainder: each part gets its share rounded down to the cent, and the cents left
    over go one each to the parts with the largest remainders (ties: the earlier part). All-zero
    weights split equally. Negative weights are refused.
    """
    total = to_cents(total)
    if not weights:
        if total:
            raise ValueError("cannot split a non-zero total over nothing")
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights cannot be negative")
    if not any(weights):
        weights = [Decimal(1)] * len(weights)
    whole = sum(weights, Decimal(0))
    cents = int(total / CENT)
    sign = -1 if cents < 0 else 1
    cents = abs(cents)
    exact = [Decimal(cents) * w / whole for w in weights]
    floors = [int(x.to_integral_value(rounding=ROUND_FLOOR)) for x in exact]
    left = cents - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [sign * Decimal(part) * CENT for part in floors]


def grouped(value: object) -> str:
    """A number as pages and paper show it, thousands separated: money (a Decimal) with its two
    places, ``12,345.60`` and ``-1,000.00``; a count (an int) whole, ``12,345``. Nothing (None)
    is empty; anything else is shown as it is. (The API's JSON keeps plain decimals.)"""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | str):
        try:
            value = Decimal(str(value).strip())
        except ArithmeticError:
            return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        cents = to_cents(value) or ZERO  # no "-0.00"
        return f"{cents:,.2f}"
    return str(value)
