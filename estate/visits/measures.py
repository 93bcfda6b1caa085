"""The month's return-visit figures for an office, aggregated in SQL (R-A4.0)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from estate.core.buckets import Bounds, bucketed
from estate.core.rates import percent
from estate.properties.models import Office
from estate.reports.periods import Period
from estate.visits.choices import SATISFIED_FROM, SURVEY_HOUSEHOLDS, VisitKind, VisitStatus
from estate.visits.models import OpinionItem, ReturnVisit
from estate.workorders.choices import Kind
from estate.workorders.models import WorkOrder

RATE_TARGET = Decimal("96")
DEGREE_TARGET = Decimal("75")
COMPLAINT_TARGET = Decimal("100")


@dataclass(frozen=True)
class MonthMeasures:
    month: date
    households_visited: int
    answers: int
    satisfied_answers: int
    satisfaction_rate: Decimal | None  # share of answers rated 3 or more, in percent
    satisfaction_degree: Decimal | None  # mean of (score - 1) / 4, in percent
    complaints_completed: int
    complaints_visited: int
    complaint_visit_rate: Decimal | None
    items_raised: int
    items_unanswered: int

    @property
    def households_target(self) -> int:
        return SURVEY_HOUSEHOLDS

    @property
    def households_met(self) -> bool:
        return self.households_visited >= SURVEY_HOUSEHOLDS

    @property
    def rate_met(self) -> bool | None:
        return None if self.satisfaction_rate is None else self.satisfaction_rate >= RATE_TARGET

    @property
    def degree_met(self) -> bool | None:
        return (
            None if self.satisfaction_degree is None else self.satisfaction_degree >= DEGREE_TARGET
        )

    @property
    def complaints_met(self) -> bool | None:
        return (
            None
            if self.complaint_visit_rate is None
            else self.complaint_visit_rate >= COMPLAINT_TARGET
        )


def month_bounds(office: Office, month: date) -> tuple[datetime, datetime]:
    return Period.month_of(month).bounds(office.timezone)


def visits_in(office: Office, month: date) -> QuerySet[ReturnVisit]:
    """The visits reached in the month: what the figures are made of (the pages link here)."""
    start, end = month_bounds(office, month)
    return ReturnVisit.objects.filter(
        office=office, status=VisitStatus.DONE, visited_at__gte=start, visited_at__lt=end
    )


@dataclass(frozen=True)
class VisitCounts:
    """What an office's return-visit figures are made of, for a stretch of time."""

    households: int = 0
    answers: int = 0
    satisfied: int = 0
    score_sum: int = 0
    complaints_completed: int = 0
    complaints_visited: int = 0

    @property
    def degree_points(self) -> tuple[int, int]:
        """The degree, mean of (score - 1) / 4, as part and whole: (sum - answers, 4 * answers)."""
        return self.score_sum - self.answers, 4 * self.answers


def visit_counts(office_ids: list[int], bounds: Bounds) -> dict[tuple[int, int], VisitCounts]:
    """Per (stretch of ``bounds``, office): visits reached then, and complaints completed then
    with whether they were visited back. Two grouped queries whatever the number of offices."""
    visits: dict[tuple[int, int], dict[str, Any]] = {
        (row["bucket"], row["office_id"]): dict(row)
        for row in bucketed(
            ReturnVisit.objects.filter(office_id__in=office_ids, status=VisitStatus.DONE),
            "visited_at",
            bounds,
        )
        .values("bucket", "office_id")
        .annotate(
            households=Count("household", distinct=True),
            answers=Count("id", filter=Q(score__isnull=False)),
            satisfied=Count("id", filter=Q(score__gte=SATISFIED_FROM)),
            score_sum=Sum("score"),
        )
        .order_by()
    }
    complaints: dict[tuple[int, int], dict[str, Any]] = {
        (row["bucket"], row["office_id"]): dict(row)
        for row in bucketed(
            WorkOrder.objects.filter(office_id__in=office_ids, kind=Kind.COMPLAINT),
            "completed_at",
            bounds,
        )
        .values("bucket", "office_id")
        .annotate(
            completed=Count("id", distinct=True),
            visited=Count(
                "id",
                distinct=True,
                filter=Q(
                    return_visits__kind=VisitKind.COMPLAINT,
                    return_visits__status=VisitStatus.DONE,
                ),
            ),
        )
        .order_by()
    }
    found = {}
    for key in set(visits) | set(complaints):
        seen, done = visits.get(key, {}), complaints.get(key, {})
        found[key] = VisitCounts(
            households=seen.get("households", 0),
            answers=seen.get("answers", 0),
            satisfied=seen.get("satisfied", 0),
            score_sum=seen.get("score_sum") or 0,
            complaints_completed=done.get("completed", 0),
            complaints_visited=done.get("visited", 0),
        )
    return found


def measures(office: Office, month: date) -> MonthMeasures:
    start, end = month_bounds(office, month)
    counts = visit_counts([office.pk], [(start, end)]).get((0, office.pk), VisitCounts())
    items = OpinionItem.objects.filter(
        office=office, raised_at__gte=start, raised_at__lt=end
    ).aggregate(raised=Count("id"), unanswered=Count("id", filter=Q(answered_at__isnull=True)))
    return MonthMeasures(
        month=month.replace(day=1),
        households_visited=counts.households,
        answers=counts.answers,
        satisfied_answers=counts.satisfied,
        satisfaction_rate=percent(counts.satisfied, counts.answers),
        satisfaction_degree=percent(*counts.degree_points),
        complaints_completed=counts.complaints_completed,
        complaints_visited=counts.complaints_visited,
        complaint_visit_rate=percent(counts.complaints_visited, counts.complaints_completed),
        items_raised=items["raised"],
        items_unanswered=items["unanswered"],
    )
