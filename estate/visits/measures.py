"""The month's return-visit figures for an office, aggregated in SQL (R-A4.0)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from estate.core.buckets import Bounds, bucketed
from estate.properties.models import Office
from estate.reports.measures import (
    COMPLAINT_VISITS,
    SATISFACTION_DEGREE,
    SATISFACTION_RATE,
    SATISFIED,
    SURVEY_HOUSEHOLDS_VISITED,
    Figure,
    judged_at_end,
)
from estate.reports.periods import Period
from estate.visits.choices import VisitKind, VisitStatus
from estate.visits.models import OpinionItem, ReturnVisit
from estate.workorders.choices import Kind
from estate.workorders.models import WorkOrder


@dataclass(frozen=True)
class MonthMeasures:
    """The month's return-visit figures: each one a ``reports.measures.Figure``, so the month page,
    its API and the dashboard give the same verdicts (on the exact counts)."""

    month: date
    counts: VisitCounts
    households: Figure
    rate: Figure
    degree: Figure
    complaints: Figure
    items_raised: int
    items_unanswered: int

    @property
    def figures(self) -> tuple[Figure, ...]:
        return (self.households, self.rate, self.degree, self.complaints)

    @property
    def households_visited(self) -> int:
        return self.counts.households

    @property
    def households_target(self) -> int:
        return int(self.households.goal)

    @property
    def answers(self) -> int:
        return self.counts.answers

    @property
    def satisfied_answers(self) -> int:
        return self.counts.satisfied

    @property
    def complaints_completed(self) -> int:
        return self.counts.complaints_completed

    @property
    def complaints_visited(self) -> int:
        return self.counts.complaints_visited

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """The share of answers rated 3 or more, in percent (to one place)."""
        return self.rate.value

    @property
    def satisfaction_degree(self) -> Decimal | None:
        """The mean of (score - 1) / 4, in percent (to one place)."""
        return self.degree.value

    @property
    def complaint_visit_rate(self) -> Decimal | None:
        return self.complaints.value

    @property
    def households_met(self) -> bool | None:
        return self.households.met

    @property
    def rate_met(self) -> bool | None:
        return self.rate.met

    @property
    def degree_met(self) -> bool | None:
        return self.degree.met

    @property
    def complaints_met(self) -> bool | None:
        return self.complaints.met

    @property
    def items_met(self) -> bool:
        return self.items_unanswered == 0


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

    def figures(self, period: Period, today: date) -> list[Figure]:
        """The return-visit figures of ``period`` made of these counts: the household survey
        (monthly: a day has no target of its own; judged once the period is over), the
        satisfaction rate and degree, and the complaints visited back."""
        found = []
        if period.months:
            found.append(
                Figure(
                    SURVEY_HOUSEHOLDS_VISITED,
                    self.households,
                    target=SURVEY_HOUSEHOLDS_VISITED.target * period.months,
                    final=judged_at_end(period.last, today, today),
                )
            )
        return [
            *found,
            Figure(SATISFACTION_RATE, self.satisfied, self.answers),
            Figure(SATISFACTION_DEGREE, *self.degree_points),
            Figure(COMPLAINT_VISITS, self.complaints_visited, self.complaints_completed),
        ]


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
            satisfied=Count("id", filter=SATISFIED),
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


def measures(office: Office, month: date, *, today: date | None = None) -> MonthMeasures:
    """The month's figures; the household survey is judged once the month is over (``today``:
    today, unless given, as for the dashboard)."""
    period = Period.month_of(month)
    start, end = period.bounds(office.timezone)
    counts = visit_counts([office.pk], [(start, end)]).get((0, office.pk), VisitCounts())
    items = OpinionItem.objects.filter(
        office=office, raised_at__gte=start, raised_at__lt=end
    ).aggregate(raised=Count("id"), unanswered=Count("id", filter=Q(answered_at__isnull=True)))
    households, rate, degree, complaints = counts.figures(period, today or timezone.localdate())
    return MonthMeasures(
        month=period.first,
        counts=counts,
        households=households,
        rate=rate,
        degree=degree,
        complaints=complaints,
        items_raised=items["raised"],
        items_unanswered=items["unanswered"],
    )
