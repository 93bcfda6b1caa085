"""Calendar periods: months and quarters, as plain dates."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier); the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, written 2026Q4."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"a quarter is 1 to 4, not {self.number}")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``2026Q4`` (also ``2026-Q4`` and ``2026q4``); ValueError otherwise."""
        match = _QUARTER.fullmatch(text.strip())
        if not match:
            raise ValueError(f"not a quarter: {text!r} (write it like 2026Q4)")
        return cls(int(match["year"]), int(match["number"]))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        return add_months(self.first_day, 3) - timedelta(days=1)

    @property
    def next(self) -> Quarter:
        return Quarter.of(add_months(self.first_day, 3))

    @property
    def previous(self) -> Quarter:
        return Quarter.of(add_months(self.first_day, -3))

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


_QUARTER = re.compile(r"(?P<year>\d{4})-?[Qq](?P<number>[1-4])")
