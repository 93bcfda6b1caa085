"""Calendar periods: months and quarters, as plain dates, within the years the desk's dates name."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The years a date given to the desk may name. Nothing was kept before 2000 (the figures start
# there too), and a year past 2999 is a typing slip. The bounds also keep every calendar step
# (a quarter's neighbours, the next day, a time in any zone turned into UTC) inside the years
# Python and the databases hold, so no such step can fail.
YEARS = range(2000, 3000)


def check_year(day: date) -> None:
    """A ValidationError unless ``day`` (a date or a datetime) falls in ``YEARS``."""
    if day.year not in YEARS:
        raise ValidationError(
            _("Give a year from %(first)d to %(last)d.") % {"first": YEARS[0], "last": YEARS[-1]},
            code="year",
        )


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
        """``2026Q4`` (also ``2026-Q4`` and ``2026q4``) of a year in ``YEARS``; ValueError otherwise."""
        match = _QUARTER.fullmatch(text.strip())
        if not match or int(match["year"]) not in YEARS:
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
