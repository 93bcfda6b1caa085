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


def gaps(office: Office, first: date, last: date) -> list[Gap]:
    """Stretches of the office's opening hours on its working days with nobody on duty."""
    calendar = calendar_for(office)
    shifts: dict[date, list[tuple[time, time]]] = {}
    for day, start, end in DutyShift.objects.filter(
        office=office, day__gte=first, day__lte=last
    ).values_list("day", "starts_at", "ends_at"):
        shifts.setdefault(day, []).append((start, end))
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


def gaps_until(office: Office, first: date, last: date, now: datetime) -> list[Gap]:
    """The gaps from ``first`` to ``last`` that have begun by ``now`` (today's cut at now): the
    hours the window was unstaffed, for the dashboard."""
    local = now.astimezone(ZoneInfo(office.timezone))
    last = min(last, local.date())
    if last < first:
        return []
    found = []
    for gap in gaps(office, first, last):
        if gap.day == local.date():
            cut = local.time().replace(second=0, microsecond=0)
            gap = Gap(gap.day, gap.starts_at, min(gap.ends_at, cut))
        if gap.ends_at > gap.starts_at:
            found.append(gap)
    return found
