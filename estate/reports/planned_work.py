"""Planned work in the figures (issue #21): planned tasks done within their window, patrol
coverage, legal inspections overdue, and the equipment that keeps breaking; one grouped query
each, for the dashboard, the drill-down, the monthly report and the evaluation alike.

Counting rules (decision 0007, "Planned work"):
- a planned task counts in the period it was due in, once it is settled: done, missed, or open
  with its window over (the sweep has not marked it yet, but nothing can make it on time now);
  an open task whose window still runs is not counted yet ("not yet" is not "missed");
- on time: done at or before the end of its window (``PlannedTask.on_time``); late: done after
  it; missed: not done;
- patrol coverage: the check points scanned of those expected on the route plans' patrols due
  in the period (the patrols report, ``estate.patrols.figures.coverage``, counts the same by
  night, a night running 06:00 to 06:00);
- inspections overdue: pieces in service whose next legal inspection day is before the period's
  last day (today, while the period runs); due within 30 days from that day is shown beside it.
  The register keeps only the next date, so a past period is judged on the dates as they stand;
- a fault is a repair or emergency order on a piece of equipment opened in the period, not
  cancelled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from estate.core.buckets import Bounds, bucketed
from estate.equipment.models import Equipment
from estate.patrols.models import CheckPoint
from estate.planned.choices import Target, TaskStatus
from estate.planned.models import PlannedTask
from estate.properties.models import Office
from estate.reports.measures import INSPECTIONS_DUE, PATROL_COVERAGE, PLANNED_ON_TIME, Figure
from estate.reports.periods import Period
from estate.workorders.choices import Kind, Status
from estate.workorders.models import WorkOrder

DUE_SOON_DAYS = 30
TOP_FAULTS = 10
FAULT_KINDS = (Kind.REPAIR, Kind.EMERGENCY)

DONE_IN_WINDOW = Q(done_at__isnull=False, done_at__lte=F("window_ends_at"))
DONE_LATE = Q(done_at__isnull=False, done_at__gt=F("window_ends_at"))
NOT_DONE = Q(done_at__isnull=True)


def settled(now: datetime) -> Q:
    """A task that is done or missed, or whose window is over: it counts."""
    return ~Q(status=TaskStatus.OPEN) | Q(window_ends_at__lte=now)


def counted_tasks(office: Office, period: Period, now: datetime) -> QuerySet[PlannedTask]:
    start, end = period.bounds(office.timezone)
    return PlannedTask.objects.filter(
        settled(now), office=office, due_at__gte=start, due_at__lt=end
    )


def is_fault() -> Q:
    """A work order that is a fault of its piece of equipment."""
    return Q(equipment__isnull=False, kind__in=FAULT_KINDS) & ~Q(status=Status.CANCELLED)


def as_of(period: Period, today: date) -> date:
    """The day the register's inspection dates are judged against."""
    return min(period.last, today)


# --- the dashboard's figures: (period index, office id, figure) for every period and office ---

Found = Iterable[tuple[int, int, Figure]]


def figures(
    offices: Sequence[Office], periods: Sequence[Period], bounds: Bounds, today: date
) -> Found:
    ids = [office.pk for office in offices]
    yield from _on_time(ids, bounds)
    yield from _coverage(ids, bounds)
    yield from _inspections(ids, periods, today)


def _on_time(ids: list[int], bounds: Bounds) -> Found:
    found = {
        (index, office_id): Figure(PLANNED_ON_TIME, kept, counted)
        for index, office_id, counted, kept in bucketed(
            PlannedTask.objects.filter(office_id__in=ids), "due_at", bounds
        )
        .filter(settled(timezone.now()))
        .values_list("bucket", "office_id")
        .annotate(counted=Count("id"), kept=Count("id", filter=DONE_IN_WINDOW))
        .order_by()
    }
    for index in range(len(bounds)):
        for office_id in ids:
            yield index, office_id, found.get((index, office_id), Figure(PLANNED_ON_TIME, 0, 0))


def _coverage(ids: list[int], bounds: Bounds) -> Found:
    """Check points scanned of those expected on the route plans' patrols due in each period:
    one query for the patrols and their scans, one for the routes' points, for every office and
    period at once (the points expected are the route's points now, as on the patrols report)."""
    rows = list(
        bucketed(
            PlannedTask.objects.filter(office_id__in=ids, plan__target=Target.ROUTE),
            "due_at",
            bounds,
        )
        .values_list("bucket", "office_id", "plan__route_id")
        .annotate(patrols=Count("id", distinct=True), scanned=Count("point_scans"))
        .order_by()
    )
    points = dict(
        CheckPoint.objects.filter(route_id__in={route for _, _, route, _, _ in rows})
        .values_list("route_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    found: dict[tuple[int, int], list[int]] = {}
    for index, office_id, route_id, patrols, scanned in rows:
        counts = found.setdefault((index, office_id), [0, 0])
        counts[0] += scanned
        counts[1] += patrols * points.get(route_id, 0)
    for index in range(len(bounds)):
        for office_id in ids:
            scanned, expected = found.get((index, office_id), (0, 0))
            yield index, office_id, Figure(PATROL_COVERAGE, scanned, expected)


def _inspections(ids: list[int], periods: Sequence[Period], today: date) -> Found:
    """Overdue and due soon for every period in one query: a pair of counts per period."""
    days = [as_of(period, today) for period in periods]
    counts: dict[str, Any] = {}
    for index, day in enumerate(days):
        by = day + timedelta(days=DUE_SOON_DAYS)
        counts[f"over{index}"] = Count("id", filter=Q(next_inspection_on__lt=day))
        counts[f"soon{index}"] = Count(
            "id", filter=Q(next_inspection_on__gte=day, next_inspection_on__lte=by)
        )
    found: dict[int, dict[str, Any]] = {
        row["office_id"]: dict(row)
        for row in Equipment.objects.filter(
            office_id__in=ids, is_active=True, next_inspection_on__isnull=False
        )
        .values("office_id")
        .annotate(**counts)
        .order_by()
    }
    for index in range(len(periods)):
        for office_id in ids:
            row = found.get(office_id, {})
            over, soon = row.get(f"over{index}", 0), row.get(f"soon{index}", 0)
            yield index, office_id, Figure(INSPECTIONS_DUE, over, aside=soon)


def overdue_and_due_soon(office: Office, day: date) -> QuerySet[Equipment]:
    """Pieces in service whose inspection is overdue on ``day`` or due within 30 days of it."""
    return Equipment.objects.filter(
        office=office,
        is_active=True,
        next_inspection_on__lte=day + timedelta(days=DUE_SOON_DAYS),
    )


# --- planned tasks by plan and by service unit ---


@dataclass(frozen=True)
class Share:
    """Planned tasks of one plan or unit in a period: due, and of the settled ones how many were
    done on time, late, or not at all."""

    key: int
    name: str
    due: int
    on_time: int
    late: int
    missed: int

    @property
    def figure(self) -> Figure:
        return Figure(PLANNED_ON_TIME, self.on_time, self.on_time + self.late + self.missed)


def shares(tasks: QuerySet[PlannedTask], by: str, now: datetime) -> list[Share]:
    """Tasks grouped by ``plan`` or ``service_unit`` (one query), the ones missed most first."""
    done = settled(now)
    rows = (
        tasks.values_list(by, f"{by}__name")
        .annotate(
            due=Count("id"),
            kept=Count("id", filter=done & DONE_IN_WINDOW),
            late=Count("id", filter=done & DONE_LATE),
            missed=Count("id", filter=done & NOT_DONE),
        )
        .order_by()
    )
    found = [Share(*row) for row in rows]
    return sorted(found, key=lambda s: (-(s.late + s.missed), s.name))


def by_plan_and_unit(office: Office, period: Period) -> tuple[list[Share], list[Share]]:
    start, end = period.bounds(office.timezone)
    tasks = PlannedTask.objects.filter(office=office, due_at__gte=start, due_at__lt=end)
    now = timezone.now()
    return shares(tasks, "plan", now), shares(tasks, "service_unit", now)


def route_tasks(office: Office, period: Period, now: datetime) -> QuerySet[PlannedTask]:
    """The patrols of the period (tasks of route plans) that count."""
    return counted_tasks(office, period, now).filter(plan__target=Target.ROUTE)


# --- the equipment that keeps breaking ---


@dataclass(frozen=True)
class Faults:
    equipment_id: int
    code: str
    name: str
    count: int


def faults(office: Office, period: Period, limit: int = TOP_FAULTS) -> list[Faults]:
    """The pieces with the most faults opened in the period, most first (one query)."""
    rows = (
        fault_orders(office, period)
        .values_list("equipment_id", "equipment__code", "equipment__name")
        .annotate(count=Count("id"))
        .order_by("-count", "equipment__code")
    )
    return [Faults(*row) for row in rows[:limit]]


def fault_orders(office: Office, period: Period) -> QuerySet[WorkOrder]:
    start, end = period.bounds(office.timezone)
    return WorkOrder.objects.filter(
        is_fault(), office=office, opened_at__gte=start, opened_at__lt=end
    )
