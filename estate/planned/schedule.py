"""When a plan falls due: pure functions of the plan's fields, an instant and the office's calendar.

Occurrences are local times in the office's time zone (Asia/Shanghai by default), turned into
aware datetimes there, so a zone with daylight saving would still get its wall-clock times.
Working-days-only plans use the office's work calendar (the official calendar with 調休);
a year the State Council has not published yet counts Monday to Friday as working days, so a
plan never stops silently (decision 0021).
"""

from __future__ import annotations

import calendar as month_calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from estate.planned.choices import Frequency
from estate.timerules.calendar import WorkCalendar, YearNotPublished

DEFAULT_TIME = time(8, 0)  # a weekly, monthly or yearly plan given no time falls due at 08:00
TIME_PATTERN = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
# How far ahead an occurrence is looked for; a schedule firing less often than this never fires.
LOOK_AHEAD_DAYS = 800
LOOK_AHEAD_YEARS = 9  # 29 February comes round within 8 years


@dataclass(frozen=True)
class Schedule:
    """The fields of a plan that decide when it falls due (a Plan, or a form's cleaned data)."""

    frequency: str
    every: int = 1
    times: tuple[time, ...] = ()
    weekdays: frozenset[int] = frozenset()
    day_of_month: int | None = None
    month: int | None = None
    working_days_only: bool = False
    starts_on: date | None = None
    ends_on: date | None = None

    @classmethod
    def of(cls, plan: Any) -> Schedule:
        return cls(
            frequency=plan.frequency,
            every=plan.every or 0,
            times=tuple(sorted(parse_time(t) for t in plan.times or [])),
            weekdays=frozenset(int(d) for d in plan.weekdays or []),
            day_of_month=plan.day_of_month,
            month=plan.month,
            working_days_only=plan.working_days_only,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
        )

    @property
    def at_times(self) -> tuple[time, ...]:
        return tuple(sorted(self.times)) or (DEFAULT_TIME,)


def parse_time(value: Any) -> time:
    """ "08:00" → 08:00; ValueError for anything else."""
    match = TIME_PATTERN.match(str(value).strip())
    if not match:
        raise ValueError(value)
    return time(int(match[1]), int(match[2]))


def zone_of(plan: Any) -> ZoneInfo:
    office = getattr(plan, "office", None)
    return ZoneInfo(getattr(office, "timezone", None) or "Asia/Shanghai")


def is_working_day(day: date, calendar: WorkCalendar | None) -> bool:
    """By the office's calendar; in a year not yet published, Monday to Friday."""
    try:
        return (calendar or WorkCalendar()).is_working_day(day)
    except YearNotPublished:
        return day.isoweekday() <= 5


def next_occurrence(
    plan: Any,
    after: datetime,
    *,
    calendar: WorkCalendar | None = None,
    zone: ZoneInfo | None = None,
) -> datetime | None:
    """The plan's first occurrence strictly after ``after`` (aware, in the office's zone), or
    None when there is none (the plan has ended, or its schedule never fires)."""
    schedule = plan if isinstance(plan, Schedule) else Schedule.of(plan)
    zone = zone or zone_of(plan)
    if schedule.starts_on is None or schedule.every < 1:
        return None
    start = datetime.combine(schedule.starts_on, time(0), tzinfo=zone)
    after = max(after, start - timedelta(microseconds=1))
    found = _first_after(schedule, after, calendar, zone)
    if found is None:
        return None
    if schedule.ends_on is not None and found.astimezone(zone).date() > schedule.ends_on:
        return None
    return found


def occurrences(
    plan: Any,
    after: datetime,
    count: int,
    *,
    calendar: WorkCalendar | None = None,
    zone: ZoneInfo | None = None,
) -> list[datetime]:
    """The next ``count`` occurrences after ``after`` (fewer when the plan ends)."""
    found: list[datetime] = []
    moment: datetime | None = after
    while moment is not None and len(found) < count:
        moment = next_occurrence(plan, moment, calendar=calendar, zone=zone)
        if moment is not None:
            found.append(moment)
    return found


def _first_after(
    schedule: Schedule, after: datetime, calendar: WorkCalendar | None, zone: ZoneInfo
) -> datetime | None:
    if schedule.frequency == Frequency.HOURS:
        return _hourly(schedule, after, calendar, zone)
    if schedule.frequency in (Frequency.DAILY, Frequency.WEEKLY):
        return _by_day(schedule, after, calendar, zone)
    if schedule.frequency in (Frequency.MONTHLY, Frequency.YEARLY):
        return _by_month(schedule, after, calendar, zone)
    return None


def _hourly(
    schedule: Schedule, after: datetime, calendar: WorkCalendar | None, zone: ZoneInfo
) -> datetime | None:
    """Every N hours of elapsed time from the first time (or midnight) of the first day."""
    assert schedule.starts_on is not None
    anchor = datetime.combine(
        schedule.starts_on, schedule.times[:1][0] if schedule.times else time(0), tzinfo=zone
    )
    step = timedelta(hours=schedule.every)
    steps = max(0, (after - anchor) // step + 1)
    moment = anchor + steps * step
    for _step in range(LOOK_AHEAD_DAYS * 24 // schedule.every + 1):
        local = moment.astimezone(zone)
        if not schedule.working_days_only or is_working_day(local.date(), calendar):
            return local
        moment += step
    return None


def _days_from(day: date) -> Iterator[date]:
    for offset in range(LOOK_AHEAD_DAYS):
        yield day + timedelta(days=offset)


def _by_day(
    schedule: Schedule, after: datetime, calendar: WorkCalendar | None, zone: ZoneInfo
) -> datetime | None:
    """Daily: every day; weekly: the given weekdays; both skipping non-working days when asked
    (so a daily working-days plan falls on a 調休 Saturday and skips the National Day week)."""
    first = after.astimezone(zone).date()
    for day in _days_from(first):
        if schedule.frequency == Frequency.WEEKLY and day.isoweekday() not in schedule.weekdays:
            continue
        if schedule.working_days_only and not is_working_day(day, calendar):
            continue
        for at in schedule.at_times:
            moment = datetime.combine(day, at, tzinfo=zone)
            if moment > after:
                return moment
    return None


def _months_from(year: int, month: int, count: int) -> Iterator[tuple[int, int]]:
    for offset in range(count):
        index = year * 12 + month - 1 + offset
        yield index // 12, index % 12 + 1


def _by_month(
    schedule: Schedule, after: datetime, calendar: WorkCalendar | None, zone: ZoneInfo
) -> datetime | None:
    """Monthly on a day (31 means the month's last day in a shorter month); yearly on a month
    and day (29 February only in leap years). On working days only, an occurrence on a day off
    moves to the next working day."""
    local = after.astimezone(zone)
    count = 26 if schedule.frequency == Frequency.MONTHLY else LOOK_AHEAD_YEARS * 12
    wanted = schedule.day_of_month or 1
    # Start a month early: an occurrence moved past a holiday may fall in the next month.
    first = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    for year, month in _months_from(*first, count + 1):
        if schedule.frequency == Frequency.YEARLY and month != schedule.month:
            continue
        last = month_calendar.monthrange(year, month)[1]
        if wanted > last and schedule.frequency == Frequency.YEARLY:
            continue  # 29 February in a common year
        day = date(year, month, min(wanted, last))
        if schedule.starts_on is not None and day < schedule.starts_on:
            continue
        if schedule.working_days_only:
            for _ in range(LOOK_AHEAD_DAYS):
                if is_working_day(day, calendar):
                    break
                day += timedelta(days=1)
        for at in schedule.at_times:
            moment = datetime.combine(day, at, tzinfo=zone)
            if moment > after:
                return moment
    return None


def validate_schedule(
    *,
    frequency: str,
    every: int | None,
    times: Any,
    weekdays: Any,
    day_of_month: int | None,
    month: int | None,
    working_days_only: bool,
    starts_on: date | None,
    ends_on: date | None,
    window_minutes: int | None = None,
    calendar: WorkCalendar | None = None,
) -> Schedule:
    """The schedule, or a ValidationError naming each field that makes it wrong or never fire."""
    errors: dict[str, Any] = {}
    if frequency not in Frequency.values:
        errors["frequency"] = _("Choose how often the plan falls due.")
    if every is None or every < 1:
        errors["every"] = _("Every must be at least 1.")
    elif frequency == Frequency.HOURS and every > 24 * 366:
        errors["every"] = _("Every N hours must be at most a year (8784 hours).")
    parsed: list[time] = []
    if not isinstance(times, list | tuple):
        errors["times"] = _('Give the times as a list, like ["08:00", "20:00"].')
    else:
        for value in times:
            try:
                parsed.append(parse_time(value))
            except ValueError:
                errors["times"] = _("“%(value)s” is not a time like 08:00.") % {"value": value}
                break
        if len(set(parsed)) != len(parsed) and "times" not in errors:
            errors["times"] = _("A time is given twice.")
    if frequency == Frequency.DAILY and not parsed and "times" not in errors:
        errors["times"] = _("A daily plan needs at least one time.")
    days: set[int] = set()
    if not isinstance(weekdays, list | tuple) or not all(
        isinstance(d, int) and 1 <= d <= 7 for d in weekdays
    ):
        errors["weekdays"] = _("Weekdays are numbers from 1 (Monday) to 7 (Sunday).")
    else:
        days = set(weekdays)
    if frequency == Frequency.WEEKLY and not days and "weekdays" not in errors:
        errors["weekdays"] = _("A weekly plan needs at least one weekday.")
    if frequency in (Frequency.MONTHLY, Frequency.YEARLY) and (
        day_of_month is None or not 1 <= day_of_month <= 31
    ):
        errors["day_of_month"] = _("Give a day of the month from 1 to 31.")
    if frequency == Frequency.YEARLY:
        if month is None or not 1 <= month <= 12:
            errors["month"] = _("Give a month from 1 to 12.")
        elif day_of_month and day_of_month > (
            29 if month == 2 else month_calendar.monthrange(2001, month)[1]
        ):
            errors["day_of_month"] = _(
                "Month %(month)d has no day %(day)d: this plan would never fall due."
            ) % {"month": month, "day": day_of_month}
    if starts_on is None:
        errors["starts_on"] = _("Give the day the plan starts.")
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The plan ends before it starts.")
    if window_minutes is not None and window_minutes < 1:
        errors["window_minutes"] = _("Give at least one minute to do the task in.")
    if errors:
        raise ValidationError(errors)
    schedule = Schedule(
        frequency=frequency,
        every=every or 1,
        times=tuple(sorted(parsed)),
        weekdays=frozenset(days),
        day_of_month=day_of_month,
        month=month,
        working_days_only=working_days_only,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    assert starts_on is not None
    first = next_occurrence(
        schedule,
        datetime.combine(starts_on, time(0), tzinfo=ZoneInfo("UTC")) - timedelta(days=1),
        calendar=calendar,
    )
    if first is None:
        field = "ends_on" if ends_on is not None else "frequency"
        raise ValidationError({field: _("This schedule never falls due: no occurrence fits.")})
    return schedule
