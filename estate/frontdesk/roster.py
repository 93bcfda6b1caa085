"""The window duty roster (R-B1): shifts, and the gaps in the office's opening hours that nobody
covers, so they show ahead of time (and, later, as unstaffed hours on the dashboard)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from estate.accounts.models import StaffRole
from estate.frontdesk.models import DutyShift
from estate.properties.models import Office
from estate.timerules.calendar import YearNotPublished
from estate.timerules.clocks import calendar_for


@dataclass(frozen=True)
class Gap:
    day: date
    starts_at: time
    ends_at: time

    @property
    def minutes(self) -> int:
        start = datetime.combine(self.day, self.starts_at)
        return int((datetime.combine(self.day, self.ends_at) - start).total_seconds() // 60)


def add_shift(
    *, office: Office, staff_member: Any, day: date, starts_at: time, ends_at: time
) -> DutyShift:
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("The shift must end after it starts.")
    if not StaffRole.objects.filter(user=staff_member, office=office).exists():
        errors["staff_member"] = _("This person has no role in the office.")
    if errors:
        raise ValidationError(errors)
    return DutyShift.objects.create(
        office=office, staff_member=staff_member, day=day, starts_at=starts_at, ends_at=ends_at
    )


def _open_on(office: Office, day: date, calendar: Any) -> bool:
    try:
        return bool(calendar.is_working_day(day))
    except YearNotPublished:
        return day.weekday() < 5  # an unpublished year: weekdays until it is confirmed


Shifts = dict[date, list[tuple[time, time]]]


def shifts_by_office(office_ids: list[int], first: date, last: date) -> dict[int, Shifts]:
    """Each office's shifts from ``first`` to ``last`` by day, in one query."""
    found: dict[int, Shifts] = {office_id: {} for office_id in office_ids}
    for office_id, day, start, end in DutyShift.objects.filter(
        office_id__in=office_ids, day__gte=first, day__lte=last
    ).values_list("office_id", "day", "starts_at", "ends_at"):
        found[office_id].setdefault(day, []).append((start, end))
    return found


def gaps(
    office: Office,
    first: date,
    last: date,
    *,
    calendar: Any = None,
    shifts: Shifts | None = None,
) -> list[Gap]:
    """Stretches of the office's opening hours on its working days with nobody on duty
    (``calendar`` and ``shifts`` when the caller read them already, for several offices)."""
    calendar = calendar_for(office) if calendar is None else calendar
    if shifts is None:
        shifts = shifts_by_office([office.pk], first, last)[office.pk]
    found = []
    day = first
    while day <= last:
        if _open_on(office, day, calendar):
            cursor = office.opens_at
            for start, end in sorted(shifts.get(day, [])):
                if start > cursor:
                    found.append(Gap(day, cursor, min(start, office.closes_at)))
                cursor = max(cursor, end)
                if cursor >= office.closes_at:
                    break
            if cursor < office.closes_at:
                found.append(Gap(day, cursor, office.closes_at))
        day += timedelta(days=1)
    return [g for g in found if g.ends_at > g.starts_at]


def gaps_until(
    office: Office,
    first: date,
    last: date,
    now: datetime,
    *,
    calendar: Any = None,
    shifts: Shifts | None = None,
) -> list[Gap]:
    """The gaps from ``first`` to ``last`` that have begun by ``now`` (today's cut at now): the
    hours the window was unstaffed, for the dashboard."""
    local = now.astimezone(ZoneInfo(office.timezone))
    last = min(last, local.date())
    if last < first:
        return []
    found = []
    for gap in gaps(office, first, last, calendar=calendar, shifts=shifts):
        if gap.day == local.date():
            cut = local.time().replace(second=0, microsecond=0)
            gap = Gap(gap.day, gap.starts_at, min(gap.ends_at, cut))
        if gap.ends_at > gap.starts_at:
            found.append(gap)
    return found


def coming_gaps(office: Office, now: datetime, days: int = 7) -> list[Gap]:
    """The gaps still to come in the next ``days`` days (today's from now on), for planning."""
    local = now.astimezone(ZoneInfo(office.timezone))
    cut = local.time().replace(second=0, microsecond=0)
    found = []
    for gap in gaps(office, local.date(), local.date() + timedelta(days=days - 1)):
        if gap.day == local.date():
            if gap.ends_at <= cut:
                continue
            gap = Gap(gap.day, max(gap.starts_at, cut), gap.ends_at)
        found.append(gap)
    return found
