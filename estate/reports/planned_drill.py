"""What is behind the planned-work figures: the tasks counted (late and missed first), the
patrols, the pieces whose inspection is overdue or due soon, and a piece's faults."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from estate.planned.models import PlannedTask
from estate.properties.models import Office
from estate.reports import planned_work
from estate.reports.drill import LIMIT, Cell, Drill, when
from estate.reports.periods import Period


def _result(task: PlannedTask) -> Cell:
    if task.on_time:
        return Cell(_("on time"))
    if task.done_at is not None:
        return Cell(_("late"), missed=True)
    return Cell(_("missed"), missed=True)


def _tasks(office: Office, found: QuerySet[PlannedTask], skip: int) -> Drill:
    """Counted tasks, missed first, then late, then on time."""
    ordered = (
        found.annotate(
            rank=Case(
                When(planned_work.NOT_DONE, then=Value(0)),
                When(planned_work.DONE_LATE, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .select_related("plan", "equipment", "service_unit", "done_by")
        .order_by("rank", "due_at", "id")
    )
    drill = Drill(
        [
            gettext_lazy("Plan"),
            gettext_lazy("Equipment"),
            gettext_lazy("Service unit"),
            gettext_lazy("Due"),
            gettext_lazy("To be done by"),
            gettext_lazy("Done at"),
            gettext_lazy("Done by"),
            gettext_lazy("Result"),
        ],
        count=ordered.count(),
    )
    for task in ordered[skip : skip + LIMIT]:
        drill.rows.append(
            [
                Cell(task.plan.name),
                Cell(str(task.equipment or "—")),
                Cell(task.service_unit.name),
                Cell(when(task.due_at, office)),
                Cell(when(task.window_ends_at, office)),
                Cell(when(task.done_at, office)),
                Cell(str(task.done_by or "")),
                _result(task),
            ]
        )
    return drill


def tasks(office: Office, period: Period, skip: int = 0) -> Drill:
    return _tasks(office, planned_work.counted_tasks(office, period, timezone.now()), skip)


def patrols(office: Office, period: Period, skip: int = 0) -> Drill:
    """The patrols of the period: the tasks of route plans, missed and late first. The points
    scanned on each are counted by the patrols app, on its own pages."""
    return _tasks(office, planned_work.route_tasks(office, period, timezone.now()), skip)


def inspections(office: Office, period: Period, skip: int = 0) -> Drill:
    """Pieces whose legal inspection is overdue (counted), then those due within 30 days."""
    day = planned_work.as_of(period, timezone.localdate())
    found = planned_work.overdue_and_due_soon(office, day).order_by("next_inspection_on", "code")
    drill = Drill(
        [
            gettext_lazy("Equipment"),
            gettext_lazy("Kind"),
            gettext_lazy("Place"),
            gettext_lazy("Last legal inspection"),
            gettext_lazy("Next legal inspection"),
            gettext_lazy("Result"),
        ],
        count=found.count(),
    )
    for piece in found[skip : skip + LIMIT]:
        next_on = piece.next_inspection_on
        assert next_on is not None  # filtered on it
        overdue = next_on < day
        days = (next_on - day).days
        drill.rows.append(
            [
                Cell(str(piece)),
                Cell(piece.get_kind_display()),
                Cell(
                    " ".join(p for p in (str(piece.building or ""), piece.floor, piece.place) if p)
                ),
                Cell(str(piece.last_inspected_on or "—")),
                Cell(str(next_on), missed=overdue),
                Cell(
                    _("overdue by %(days)s days") % {"days": -days}
                    if overdue
                    else _("due in %(days)s days") % {"days": days},
                    missed=overdue,
                ),
            ]
        )
    return drill


def faults(office: Office, period: Period, skip: int = 0, equipment: int | None = None) -> Drill:
    """The faults opened in the period: of one piece, or of every piece (most broken first)."""
    found = planned_work.fault_orders(office, period).select_related("equipment")
    if equipment is not None:
        found = found.filter(equipment_id=equipment)
    found = found.order_by("equipment__code", "opened_at", "id")
    drill = Drill(
        [
            gettext_lazy("Equipment"),
            gettext_lazy("Order"),
            gettext_lazy("Kind"),
            gettext_lazy("Opened at"),
            gettext_lazy("Status"),
            gettext_lazy("What"),
        ],
        count=found.count(),
    )
    for order in found[skip : skip + LIMIT]:
        drill.rows.append(
            [
                Cell(str(order.equipment)),
                Cell(order.number, reverse("workorders:detail", args=[order.pk])),
                Cell(order.get_kind_display()),
                Cell(when(order.opened_at, office)),
                Cell(order.get_status_display()),
                Cell(order.description[:80]),
            ]
        )
    return drill


DRILLS: dict[str, Callable[[Office, Period, int], Drill]] = {
    "planned_on_time": tasks,
    "patrol_coverage": patrols,
    "inspections_due": inspections,
    "equipment_faults": faults,
}


def drill(
    key: str, office: Office, period: Period, page: int = 1, equipment: int | None = None
) -> Drill:
    """The rows behind a planned-work figure, a page of ``LIMIT`` at a time."""
    skip = (max(page, 1) - 1) * LIMIT
    found = (
        faults(office, period, skip, equipment)
        if key == "equipment_faults"
        else DRILLS[key](office, period, skip)
    )
    found.page = max(page, 1)
    return found
