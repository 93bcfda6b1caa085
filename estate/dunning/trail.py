"""Reading the trail for a list of households (the arrears page): how often each was reminded,
the latest reminder and the latest formal demand, in two queries whatever the page's length."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, Subquery

from estate.dunning.models import FormalDemand, ReminderAttempt
from estate.properties.models import Household


@dataclass(frozen=True)
class Trail:
    """One household's dunning at a glance."""

    household_id: int
    attempts: int
    latest: ReminderAttempt | None
    demand_status: str | None
    demand_issued_at: datetime | None
    demand_delivered_at: datetime | None

    @property
    def demand_status_label(self) -> str:
        from estate.dunning.choices import DemandStatus

        return str(DemandStatus(self.demand_status).label) if self.demand_status else ""


def trails(household_ids: Iterable[int]) -> dict[int, Trail]:
    """household id → its trail: one query for the counts and the latest ids, one for the latest
    reminders themselves."""
    ids = sorted({i for i in household_ids if i is not None})  # developers have no trail here
    if not ids:
        return {}
    latest_attempt = ReminderAttempt.objects.filter(household=OuterRef("pk")).order_by("-at", "-id")
    latest_demand = FormalDemand.objects.filter(household=OuterRef("pk")).order_by(
        "-drafted_at", "-id"
    )
    rows = (
        Household.objects.filter(pk__in=ids)
        .annotate(
            n_attempts=Subquery(
                ReminderAttempt.objects.filter(household=OuterRef("pk"))
                .order_by()
                .values("household")
                .annotate(n=Count("id"))
                .values("n")
            ),
            latest_attempt_id=Subquery(latest_attempt.values("id")[:1]),
            demand_status=Subquery(latest_demand.values("status")[:1]),
            demand_issued_at=Subquery(latest_demand.values("issued_at")[:1]),
            demand_delivered_at=Subquery(latest_demand.values("delivered_at")[:1]),
        )
        .values_list(
            "pk",
            "n_attempts",
            "latest_attempt_id",
            "demand_status",
            "demand_issued_at",
            "demand_delivered_at",
        )
    )
    found = list(rows)
    wanted = [row[2] for row in found if row[2]]
    latest = (
        {a.pk: a for a in ReminderAttempt.objects.filter(pk__in=wanted).select_related("by")}
        if wanted
        else {}
    )
    return {
        pk: Trail(pk, n or 0, latest.get(attempt_id) if attempt_id else None, status, issued, done)
        for pk, n, attempt_id, status, issued, done in found
    }


def attach_trails[T](rows: Iterable[T]) -> list[T]:
    """The rows (statements of the arrears page: anything with ``household_id``), each given its
    household's ``trail``."""
    listed = list(rows)
    found = trails(row.household_id for row in listed)  # type: ignore[attr-defined]
    for row in listed:
        row.trail = found.get(row.household_id)  # type: ignore[attr-defined]
    return listed
