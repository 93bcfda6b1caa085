"""The guard's side of the field view: the open patrols of their service units, each with its
route's points ticked as they are scanned."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.patrols.models import CheckPoint, PointScan
from estate.planned.choices import Target, TaskStatus
from estate.planned.models import PlannedTask

LIMIT = 20


@dataclass
class PointLine:
    point: CheckPoint
    scan: PointScan | None


@dataclass
class OpenPatrol:
    task: PlannedTask
    points: list[PointLine]

    @property
    def scanned(self) -> int:
        return sum(line.scan is not None for line in self.points)


def open_patrols(user: Any) -> list[OpenPatrol]:
    """The open patrols of the user's service units, in the offices where they do field work,
    the earliest due first; three queries whatever their number."""
    scope = scope_for(user)
    tasks = (
        PlannedTask.objects.filter(
            office_id__in=scope.office_ids_with(Capability.DO_WORK),
            service_unit_id__in=scope.service_unit_ids,
            status=TaskStatus.OPEN,
            plan__target=Target.ROUTE,
        )
        .select_related("plan__route", "office")
        .prefetch_related(
            Prefetch("point_scans", queryset=PointScan.objects.all()),
            Prefetch("plan__route__points", queryset=CheckPoint.objects.order_by("position")),
        )
        .order_by("due_at", "pk")[:LIMIT]
    )
    patrols = []
    for task in tasks:
        scans = {scan.point_id: scan for scan in task.point_scans.all()}
        route = task.plan.route
        points = list(route.points.all()) if route is not None else []
        patrols.append(OpenPatrol(task, [PointLine(p, scans.get(p.pk)) for p in points]))
    return patrols
