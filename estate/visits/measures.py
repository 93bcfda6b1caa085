"""The month's return-visit figures for an office, aggregated in SQL (R-A4.0)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet

from estate.core.rates import ONE_PLACE, percent
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


def measures(office: Office, month: date) -> MonthMeasures:
    start, end = month_bounds(office, month)
    done = visits_in(office, month)
    figures = done.aggregate(
        households=Count("household", distinct=True),
        answers=Count("id", filter=Q(score__isnull=False)),
        satisfied=Count("id", filter=Q(score__gte=SATISFIED_FROM)),
        mean=Avg("score"),
    )
    complaints = WorkOrder.objects.filter(
        office=office, kind=Kind.COMPLAINT, completed_at__gte=start, completed_at__lt=end
    ).aggregate(
        completed=Count("id", distinct=True),
        visited=Count(
            "id",
            distinct=True,
            filter=Q(
                return_visits__kind=VisitKind.COMPLAINT, return_visits__status=VisitStatus.DONE
            ),
        ),
    )
    items = OpinionItem.objects.filter(
        office=office, raised_at__gte=start, raised_at__lt=end
    ).aggregate(raised=Count("id"), unanswered=Count("id", filter=Q(answered_at__isnull=True)))
    mean = figures["mean"]
    degree = (
        None
        if mean is None
        else ((Decimal(str(mean)) - 1) / 4 * 100).quantize(ONE_PLACE, ROUND_HALF_UP)
    )
    return MonthMeasures(
        month=month.replace(day=1),
        households_visited=figures["households"],
        answers=figures["answers"],
        satisfied_answers=figures["satisfied"],
        satisfaction_rate=percent(figures["satisfied"], figures["answers"]),
        satisfaction_degree=degree,
        complaints_completed=complaints["completed"],
        complaints_visited=complaints["visited"],
        complaint_visit_rate=percent(complaints["visited"], complaints["completed"]),
        items_raised=items["raised"],
        items_unanswered=items["unanswered"],
    )
