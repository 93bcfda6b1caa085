"""The period a report is about: a day, a month or a quarter, written as in the URL.

``2026-11-26`` is a day, ``2026-11`` a month, ``2026Q4`` (or ``2026-Q4``) a quarter. A period
that has not begun is refused; one still running is counted up to now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from estate.core.periods import Quarter, add_months

FIRST_YEAR = 2000  # nothing was kept before; also keeps trends clear of year 1


class PeriodKind(StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"


class PeriodError(ValueError):
    """A period the user wrote that cannot be shown; the message says why, in their language."""


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    first: date
    last: date  # inclusive

    @classmethod
    def month_of(cls, day: date) -> Period:
        first = day.replace(day=1)
        return cls(PeriodKind.MONTH, first, add_months(first, 1) - timedelta(days=1))

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        quarter = Quarter.of(day)
        return cls(PeriodKind.QUARTER, quarter.first_day, quarter.last_day)

    @classmethod
    def day_of(cls, day: date) -> Period:
        return cls(PeriodKind.DAY, day, day)

    @classmethod
    def parse(cls, text: str | None, *, today: date) -> Period:
        """The period written in ``text`` (this month when empty); PeriodError when it cannot be."""
        text = (text or "").strip()
        if not text:
            return cls.month_of(today)
        period = _parse(text)
        if period is None:
            raise PeriodError(
                _(
                    "“%(text)s” is not a period: write a day (2026-11-05), a month (2026-11) or a quarter (2026Q4)."
                )
                % {"text": text[:20]}
            )
        if period.first > today:
            raise PeriodError(_("%(period)s has not begun yet.") % {"period": period})
        if period.first.year < FIRST_YEAR:
            raise PeriodError(
                _("Figures go back to %(year)d; %(period)s is before that.")
                % {"year": FIRST_YEAR, "period": period}
            )
        return period

    @property
    def quarter(self) -> Quarter:
        """The quarter the period ends in (a month or day shows its quarter's activity and fees)."""
        return Quarter.of(self.last)

    @property
    def months(self) -> int:
        return {PeriodKind.DAY: 0, PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3}[self.kind]

    def bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """The period's start and end (exclusive) as moments in the office's time zone."""
        zone = ZoneInfo(timezone)
        return (
            datetime.combine(self.first, time.min, tzinfo=zone),
            datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=zone),
        )

    def earlier(self, count: int) -> list[Period]:
        """This period and the ``count - 1`` before it, oldest first (for the trend chart)."""
        periods = [self]
        while len(periods) < count:
            first = periods[-1].first
            if self.kind == PeriodKind.DAY:
                periods.append(Period.day_of(first - timedelta(days=1)))
            elif self.kind == PeriodKind.MONTH:
                periods.append(Period.month_of(add_months(first, -1)))
            else:
                periods.append(Period.quarter_of(add_months(first, -3)))
        return periods[::-1]

    def __str__(self) -> str:
        if self.kind == PeriodKind.DAY:
            return self.first.isoformat()
        if self.kind == PeriodKind.MONTH:
            return f"{self.first:%Y-%m}"
        return str(Quarter.of(self.first))


def quick_periods(today: date) -> list[tuple[str, Period]]:
    """The periods a head picks most: today, this and last month, this quarter."""
    this_month = Period.month_of(today)
    return [
        (_("Today"), Period.day_of(today)),
        (_("This month"), this_month),
        (_("Last month"), this_month.earlier(2)[0]),
        (_("This quarter"), Period.quarter_of(today)),
    ]


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})")


def _parse(text: str) -> Period | None:
    try:
        if _DAY.fullmatch(text):
            return Period.day_of(date.fromisoformat(text))
        if match := _MONTH.fullmatch(text):
            return Period.month_of(date(int(match["year"]), int(match["month"]), 1))
        return Period.quarter_of(Quarter.parse(text).first_day)
    except ValueError:
        return None
