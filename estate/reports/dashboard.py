"""Every target of the seed beside its actual figure, per office and period, aggregated in SQL.

Each source runs one grouped query for all the offices asked about (the company-wide view costs
the same number of queries as one office). A figure keeps the counts it was made of, so a rate
is never shown without what it was counted over, and totals across offices add counts, not rates.

Counting rules:
- a clock counts in the period it started in: kept when met by its due time, missed when it
  breached or was met after it (``timerules.models.KEPT`` / ``MISSED``); running or paused
  clocks are still open, stopped ones (a cancelled order) do not count;
- calls: answered within 15 s out of all calls that rang (unanswered ones are missed);
- return visits: visits reached in the period; the satisfaction degree is the mean of
  (score - 1) / 4; complaints completed in the period, visited back or not;
- common issues: those whose notice was due in the period and is due by now (or was answered),
  answered in time when the linked notice was published by its due time;
- the quarterly activity and the collection rate are about the quarter the period ends in, and
  are only "missed" once that quarter is over (before that a short figure is "not yet"); they,
  the household survey and the lobby notices are targets of property offices only;
- unstaffed hours: gaps in the duty roster during opening hours on working days, up to now;
- planned work (tasks on time, patrol coverage, inspections overdue): ``reports.planned_work``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from estate.billing.collection import end_of, with_paid_as_of
from estate.billing.models import Statement
from estate.community.models import Activity
from estate.core.buckets import Bounds, bucketed
from estate.core.rates import TWO_PLACES
from estate.frontdesk.measures import three_ring_figure, three_ring_rates
from estate.frontdesk.roster import gaps_until, shifts_by_office
from estate.messaging.models import Delivery, Message
from estate.properties.models import Office
from estate.reports import planned_work
from estate.reports.measures import (
    BY_KEY,
    COLLECTED,
    COLLECTION_RATE,
    COMMON_ISSUE_NOTICES,
    DELIVERED_STATES,
    FINISHED_STATES,
    MEASURES,
    MESSAGES_DELIVERED,
    NOTICE_IN_TIME,
    ORDER_STEP_KINDS,
    QUARTERLY_ACTIVITY,
    TOLD_IN_TIME,
    TOLD_IN_TIME_Q,
    TOLD_WITHIN,
    UNSTAFFED_HOURS,
    Figure,
    judged_at_end,
)
from estate.reports.periods import Period
from estate.timerules.choices import Rule
from estate.timerules.clocks import calendars_for
from estate.timerules.models import KEPT, MISSED, Clock
from estate.visits.measures import VisitCounts, visit_counts
from estate.visits.models import CommonIssue


@dataclass
class OfficeFigures:
    office: Office | None  # None for the total of several offices
    figures: dict[str, Figure] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Figure]:
        return iter(self.figures[m.key] for m in MEASURES if m.key in self.figures)

    @property
    def missed(self) -> list[Figure]:
        return [f for f in self if f.met is False]


def _zones(offices: Sequence[Office]) -> dict[str, list[Office]]:
    by_zone: dict[str, list[Office]] = defaultdict(list)
    for office in offices:
        by_zone[office.timezone].append(office)
    return by_zone


def dashboard(offices: Sequence[Office], period: Period, *, today: date) -> list[OfficeFigures]:
    """One row per office, in the order given: every measure's figure for the period."""
    return dashboards(offices, [period], today=today)[0]


def dashboards(
    offices: Sequence[Office], periods: Sequence[Period], *, today: date
) -> list[list[OfficeFigures]]:
    """For each period, one row per office: still one grouped query per source, whatever the
    number of offices and periods (the trend asks for six at once)."""
    rows = [{office.pk: OfficeFigures(office) for office in offices} for _ in periods]
    for zone, group in _zones(offices).items():
        bounds = [period.bounds(zone) for period in periods]
        for index, office_id, figure in _all_sources(group, periods, bounds, today):
            row = rows[index][office_id]
            if figure.measure.applies_to(row.office):
                row.figures[figure.measure.key] = figure
    return [list(by_office.values()) for by_office in rows]


def total(rows: Iterable[OfficeFigures]) -> OfficeFigures:
    """The offices' figures together (counts added, so large and small offices weigh fairly)."""
    together = OfficeFigures(None)
    for row in rows:
        for key, figure in row.figures.items():
            together.figures[key] = (
                together.figures[key] + figure if key in together.figures else figure
            )
    return together


# Each source yields (period index, office id, figure) for every period and office asked about.
Found = Iterable[tuple[int, int, Figure]]


def _all_sources(
    offices: Sequence[Office], periods: Sequence[Period], bounds: Bounds, today: date
) -> Found:
    ids = [office.pk for office in offices]
    yield from _calls(ids, bounds)
    yield from _unstaffed(offices, periods)
    yield from _clocks(ids, bounds)
    yield from _visits(ids, periods, bounds, today)
    yield from _common_issues(ids, bounds)
    yield from _told(ids, bounds)
    yield from _delivered(ids, bounds)
    yield from _activity(ids, periods, today)
    yield from _collection(offices, periods, today)
    yield from planned_work.figures(offices, periods, bounds, today)


def _every(
    ids: list[int], count: int, found: dict[tuple[int, int], Figure], empty: Figure
) -> Found:
    for index in range(count):
        for office_id in ids:
            yield index, office_id, found.get((index, office_id), empty)


def _calls(ids: list[int], bounds: Bounds) -> Found:
    yield from _every(ids, len(bounds), three_ring_rates(ids, bounds), three_ring_figure())


def _unstaffed(offices: Sequence[Office], periods: Sequence[Period]) -> Found:
    """The roster's gaps over all the periods at once, then added up per period."""
    measure = UNSTAFFED_HOURS
    now = timezone.now()
    first, last = min(p.first for p in periods), max(p.last for p in periods)
    calendars = calendars_for(offices)
    shifts = shifts_by_office([office.pk for office in offices], first, last)
    for office in offices:
        found = gaps_until(
            office, first, last, now, calendar=calendars[office.pk], shifts=shifts[office.pk]
        )
        for index, period in enumerate(periods):
            minutes = sum(g.minutes for g in found if period.first <= g.day <= period.last)
            hours = (Decimal(minutes) / 60).quantize(TWO_PLACES, ROUND_HALF_UP)
            yield index, office.pk, Figure(measure, hours)


def _clocks(ids: list[int], bounds: Bounds) -> Found:
    found: dict[tuple[int, int, str], Figure] = {}
    for index, office_id, rule, kept, missed in (
        bucketed(Clock.objects.filter(office_id__in=ids), "started_at", bounds)
        .values_list("bucket", "office_id", "rule")
        .annotate(kept=Count("id", filter=KEPT), missed=Count("id", filter=MISSED))
        .order_by()
    ):
        found[(index, office_id, rule)] = Figure(BY_KEY[rule], kept, kept + missed)
    for index in range(len(bounds)):
        for office_id in ids:
            for rule in Rule.values:
                empty = Figure(BY_KEY[rule], 0, 0)
                yield index, office_id, found.get((index, office_id, rule), empty)


def _visits(ids: list[int], periods: Sequence[Period], bounds: Bounds, today: date) -> Found:
    found = visit_counts(ids, bounds)
    for index, period in enumerate(periods):
        for office_id in ids:
            counts = found.get((index, office_id), VisitCounts())
            for figure in counts.figures(period, today):
                yield index, office_id, figure


def _common_issues(ids: list[int], bounds: Bounds) -> Found:
    measure = COMMON_ISSUE_NOTICES
    now = timezone.now()
    in_time = NOTICE_IN_TIME
    found = {
        (index, office_id): Figure(measure, answered, counted)
        for index, office_id, counted, answered in bucketed(
            CommonIssue.objects.filter(office_id__in=ids), "notice_due_at", bounds
        )
        .filter(Q(notice_due_at__lte=now) | in_time)
        .values_list("bucket", "office_id")
        .annotate(counted=Count("id"), answered=Count("id", filter=in_time))
        .order_by()
    }
    yield from _every(ids, len(bounds), found, Figure(measure, 0, 0))


def _told(ids: list[int], bounds: Bounds) -> Found:
    """Order steps told within 10 minutes; one whose 10 minutes still run counts once told."""
    measure = TOLD_IN_TIME
    settled = Q(due_at__lte=timezone.now() - TOLD_WITHIN) | TOLD_IN_TIME_Q
    found = {
        (index, office_id): Figure(measure, told, counted)
        for index, office_id, counted, told in bucketed(
            Message.objects.filter(office_id__in=ids, kind__in=ORDER_STEP_KINDS), "due_at", bounds
        )
        .filter(settled)
        .values_list("bucket", "office_id")
        .annotate(counted=Count("id"), told=Count("id", filter=TOLD_IN_TIME_Q))
        .order_by()
    }
    yield from _every(ids, len(bounds), found, Figure(measure, 0, 0))


def _delivered(ids: list[int], bounds: Bounds) -> Found:
    """Deliveries that got through, of those that are over (sent, delivered or failed)."""
    measure = MESSAGES_DELIVERED
    found = {
        (index, office_id): Figure(measure, delivered, finished)
        for index, office_id, finished, delivered in bucketed(
            Delivery.objects.filter(message__office_id__in=ids, state__in=FINISHED_STATES),
            "message__created_at",
            bounds,
        )
        .values_list("bucket", "message__office_id")
        .annotate(finished=Count("id"), delivered=Count("id", filter=Q(state__in=DELIVERED_STATES)))
        .order_by()
    }
    yield from _every(ids, len(bounds), found, Figure(measure, 0, 0))


def _activity(ids: list[int], periods: Sequence[Period], today: date) -> Found:
    measure = QUARTERLY_ACTIVITY
    quarters = {str(period.quarter) for period in periods}
    held = set(
        Activity.objects.filter(
            office_id__in=ids, quarter__in=quarters, status=Activity.Status.DONE
        ).values_list("office_id", "quarter")
    )
    for index, period in enumerate(periods):
        quarter = period.quarter
        over = judged_at_end(quarter.last_day, today, today)
        for office_id in ids:
            done = int((office_id, str(quarter)) in held)
            yield index, office_id, Figure(measure, done, 1, final=over)


def _collection(offices: Sequence[Office], periods: Sequence[Period], today: date) -> Found:
    """Each period's quarter's bills as of the period's last day (or today, while it runs):
    one grouped query per period."""
    measure = COLLECTION_RATE
    ids = [office.pk for office in offices]
    for index, period in enumerate(periods):
        quarter = period.quarter
        as_of = min(period.last, today)
        over = judged_at_end(quarter.last_day, as_of, today)
        statements = with_paid_as_of(
            Statement.objects.filter(office_id__in=ids, quarter=str(quarter)),
            end_of(as_of, offices[0]),
        )
        found = {
            (index, office_id): Figure(
                measure, collected or Decimal(0), billed or Decimal(0), final=over
            )
            for office_id, billed, collected in statements.order_by()
            .values_list("office_id")
            .annotate(billed=Sum("total"), collected=Sum(COLLECTED))
        }
        for office_id in ids:
            empty = Figure(measure, Decimal(0), Decimal(0), final=over)
            yield index, office_id, found.get((index, office_id), empty)
