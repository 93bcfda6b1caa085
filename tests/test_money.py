"""Money rules: rounding half up to the cent, and splits whose parts add up exactly (properties)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from estate.core.money import split, to_cents
from estate.core.periods import Quarter

cents = st.integers(min_value=-(10**9), max_value=10**9).map(lambda c: Decimal(c) / 100)
weights = st.lists(
    st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=60,
)


@given(total=cents, shares=weights)
def test_parts_add_up_to_the_total_for_any_inputs(total, shares):
    parts = split(total, shares)
    assert sum(parts, Decimal(0)) == total
    assert len(parts) == len(shares)
    assert all(p == to_cents(p) for p in parts)


@given(total=cents.filter(lambda t: t >= 0), shares=weights)
def test_each_part_is_within_a_cent_of_its_exact_share(total, shares):
    whole = sum(shares) or len(shares)
    fair = [total * (s if sum(shares) else 1) / whole for s in shares]
    for part, exact in zip(split(total, shares), fair, strict=True):
        assert abs(part - exact) < Decimal("0.01")


def test_the_leftover_cent_goes_to_the_largest_remainder():
    assert split(Decimal("100.00"), [Decimal(1)] * 3) == [
        Decimal("33.34"), Decimal("33.33"), Decimal("33.33"),
    ]  # fmt: skip
    assert split(Decimal("0.05"), [Decimal("1"), Decimal("3")]) == [
        Decimal("0.01"),
        Decimal("0.04"),
    ]


def test_rounding_is_half_up():
    assert to_cents(Decimal("2.345")) == Decimal("2.35")
    assert to_cents(Decimal("-2.345")) == Decimal("-2.35")
    assert to_cents(Decimal("2.3449")) == Decimal("2.34")


def test_quarters():
    q4 = Quarter.parse("2026Q4")
    assert (q4.first_day.isoformat(), q4.last_day.isoformat()) == ("2026-10-01", "2026-12-31")
    assert (str(q4.next), str(q4.previous)) == ("2027Q1", "2026Q3")
    assert Quarter.parse("2026-q1") == Quarter(2026, 1)
    with pytest.raises(ValueError, match="2026Q4"):
        Quarter.parse("2026Q5")
