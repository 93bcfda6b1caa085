"""Patrol coverage (巡更覆蓋率), night by night: of the check points the office's patrols should
have scanned, how many were, which were missed, and how many scans carry a mark.

A night is named by the local date of its evening: the patrols *due* from 06:00 of that day to
06:00 of the next (office time). The night's rounds, 18:00 to 06:00, fall in one night that way,
and so do the day's rounds before them, so that a round due at 01:30 counts for the evening
before and no patrol is left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone

from estate.core.rates import percent
from estate.patrols.models import CheckPoint, PointScan
from estate.planned.choices import Target, TaskStatus
from estate.planned.models import PlannedTask

NIGHT_TURNS_AT = time(6)  # the hour one night ends and the next day's begins


@dataclass
class MissedPoint:
    due_at: datetime  # the patrol's due time
    route: str
    position: int
    name: str


@dataclass
class Night:
    day: date  # the evening's date
    patrols: int = 0
    expected: int = 0  # points × patrols
    scanned: int = 0
    missed: int = 0  # points not scanned on patrols whose window has ended (or that are closed)
    waiting: int = 0  # points not scanned yet on patrols still within their window
    out_of_order: int = 0
    outside_window: int = 0
    outside_radius: int = 0
    missed_points: list[MissedPoint] = field(default_factory=list)

    @property
    def coverage(self) -> Decimal | None:
        return percent(self.scanned, self.expected)


@dataclass
class Coverage:
    start: date
    end: date
    nights: list[Night]

    def _sum(self, name: str) -> int:
        return sum(getattr(night, name) for night in self.nights)

    @property
    def expected(self) -> int:
        return self._sum("expected")

    @property
    def scanned(self) -> int:
        return self._sum("scanned")

    @property
    def missed(self) -> int:
        return self._sum("missed")

    @property
    def marked(self) -> int:
        return self._sum("out_of_order") + self._sum("outside_window") + self._sum("outside_radius")

    @property
    def coverage(self) -> Decimal | None:
        return percent(self.scanned, self.expected)


def night_of(moment: datetime, zone: ZoneInfo) -> date:
    """The night a patrol due at ``moment`` belongs to (the date of its evening)."""
    local = timezone.localtime(moment, zone)
    return (local - timedelta(hours=NIGHT_TURNS_AT.hour)).date()


def nights_between(start: date, end: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants the nights ``start`` to ``end`` (both included) run between."""
    return (
        datetime.combine(start, NIGHT_TURNS_AT, zone),
        datetime.combine(end + timedelta(days=1), NIGHT_TURNS_AT, zone),
    )


def coverage(office: Any, start: date, end: date, *, route: Any = None) -> Coverage:
    """The office's patrol coverage for the nights ``start`` to ``end`` (of one route, or all).

    Counted in SQL per patrol (one row each); only the patrols with points missing fetch their
    scanned points, to name the ones missed. Expected points are the route's points now.
    """
    zone = ZoneInfo(office.timezone)
    since, until = nights_between(start, end, zone)
    tasks = (
        PlannedTask.objects.filter(
            office=office, plan__target=Target.ROUTE, due_at__gte=since, due_at__lt=until
        )
        .filter(**({"plan__route": route} if route is not None else {}))
        .order_by("due_at", "pk")
        .values("pk", "due_at", "window_ends_at", "status", "plan__route_id")
        .annotate(
            scanned=Count("point_scans"),
            out_of_order=Count("point_scans", filter=Q(point_scans__out_of_order=True)),
            outside_window=Count("point_scans", filter=Q(point_scans__outside_window=True)),
            outside_radius=Count("point_scans", filter=Q(point_scans__outside_radius=True)),
        )
    )
    rows = list(tasks)
    points: dict[int, list[CheckPoint]] = defaultdict(list)
    for point in CheckPoint.objects.filter(
        route_id__in={row["plan__route_id"] for row in rows}
    ).select_related("route"):
        points[point.route_id].append(point)
    now = timezone.now()
    ended = {
        row["pk"]
        for row in rows
        if row["status"] != TaskStatus.OPEN or row["window_ends_at"] <= now
    }
    short = {
        row["pk"]
        for row in rows
        if row["pk"] in ended and row["scanned"] < len(points[row["plan__route_id"]])
    }
    scanned_points: dict[int, set[int]] = defaultdict(set)
    for task_id, point_id in PointScan.objects.filter(task_id__in=short).values_list(
        "task_id", "point_id"
    ):
        scanned_points[task_id].add(point_id)

    nights = {
        start + timedelta(days=n): Night(start + timedelta(days=n))
        for n in range((end - start).days + 1)
    }
    for row in rows:
        night = nights[night_of(row["due_at"], zone)]
        route_points = points[row["plan__route_id"]]
        night.patrols += 1
        night.expected += len(route_points)
        night.scanned += row["scanned"]
        night.out_of_order += row["out_of_order"]
        night.outside_window += row["outside_window"]
        night.outside_radius += row["outside_radius"]
        unscanned = max(len(route_points) - row["scanned"], 0)
        if row["pk"] not in ended:
            night.waiting += unscanned
            continue
        night.missed += unscanned
        for point in route_points:
            if row["pk"] in short and point.pk not in scanned_points[row["pk"]]:
                night.missed_points.append(
                    MissedPoint(row["due_at"], point.route.name, point.position, point.name)
                )
    return Coverage(start, end, list(nights.values()))
