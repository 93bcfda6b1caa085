"""The work calendar (工作日曆): mainland China's official calendar with its make-up workdays (調休),
per-office closures and extra workdays, and the deadline arithmetic every time rule uses.

Everything here is a pure function of its inputs; the office's rows are read once by
``calendar_for(office)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import gettext_lazy
from holidays.countries.china import ChinaStaticHolidays

from estate.notifications.messages import Message

END_OF_DAY = time(23, 59, 59)


NOT_PUBLISHED = gettext_lazy(
    "The official holiday calendar for %(year)d is not published yet; an administrator "
    "must confirm the year (with any closures and make-up workdays) before deadlines in it are set."
)


class YearNotPublished(Exception):
    """The State Council has not published this year's holiday arrangement (it does so each November)."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(str(self.message))

    @property
    def message(self) -> Message:
        return Message(NOT_PUBLISHED, {"year": self.year})


def published_years() -> frozenset[int]:
    """Years whose official arrangement, 調休 included, is in the ``holidays`` package."""
    return frozenset(ChinaStaticHolidays.special_public_holidays)


@cache
def _official(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("CN", years=year)


@dataclass(frozen=True)
class WorkCalendar:
    """One office's calendar: the official one, corrected by the office's own closures and workdays."""

    closed: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()
    confirmed_years: frozenset[int] = field(default_factory=frozenset)

    def _check(self, year: int) -> None:
        if year not in published_years() and year not in self.confirmed_years:
            raise YearNotPublished(year)

    def is_working_day(self, day: date) -> bool:
        self._check(day.year)
        if day in self.closed:
            return False
        if day in self.extra_workdays:
            return True
        return bool(_official(day.year).is_working_day(day))

    def nth_working_day_after(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (``day`` itself not counted)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        found = 0
        while found < count:
            day += timedelta(days=1)
            if self.is_working_day(day):
                found += 1
        return day

    def next_working_day(self, day: date) -> date:
        return self.nth_working_day_after(day, 1)


def end_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=zone)


def same_day_due(
    arrived: datetime, *, zone: ZoneInfo, closes_at: time, calendar: WorkCalendar
) -> datetime:
    """當日: by 23:59 of the arrival day; after closing time, by the end of the next working day."""
    local = arrived.astimezone(zone)
    if local.time() >= closes_at:
        return end_of(calendar.next_working_day(local.date()), zone)
    return end_of(local.date(), zone)


def working_days_due(
    arrived: datetime, days: int, *, zone: ZoneInfo, calendar: WorkCalendar
) -> datetime:
    """Within N working days: by the end of the N-th working day after the arrival day."""
    local = arrived.astimezone(zone)
    return end_of(calendar.nth_working_day_after(local.date(), days), zone)
