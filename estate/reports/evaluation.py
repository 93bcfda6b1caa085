"""Evaluation of service units and staff (監督、考評, R-C4), from the facts the system keeps.

For a period and an office, per service unit and per person:
- received: orders dispatched to the unit (or assigned to the person) opened in the period;
  completed: those completed in the period;
- on time, per time rule and in all, kept / counted of the clocks started in the period, each
  held against whoever owns the rule: the rules of the work itself (same-day completion, the
  concierge's 15 minutes, on scene in 5 minutes) against the unit and the person doing it (a
  responder's own clock against that responder); the desk's rules (dispatch in 10 minutes,
  same-day reply, weekly contact, follow-up, the head's answers) against the order's accountable
  person only, never against the unit that did the job;
- satisfaction: return visits reached in the period about their orders (rate and degree);
- reopened: their orders reopened in the period (the requester said it was not fixed), each once;
- complaints against them: complaints whose investigation set a rectification on a person
  (for a unit, on one of its members), with how many rectifications were set and are done;
- forbidden-phrase hits: phrases caught in what they wrote to requesters;
- planned work (units only): the unit's planned tasks due in the period, and of those settled,
  done within their window, late, and missed, with the on-time share (``reports.planned_work``;
  a missed task has nobody who did it, so it is held against the unit, not a person).
Every rate comes with its counts, so a unit with three orders is not compared as if it had 300.
The evaluation computes no combined score: each figure stands beside the others with its
counts, and planned work is not folded into "on time, all time rules" (decision 0007).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Case, Count, F, Q, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from estate.accounts.models import StaffRole, User
from estate.core.tables import write_xlsx_sheets
from estate.language.models import PhraseHit
from estate.planned.models import PlannedTask
from estate.properties.models import Office, ServiceUnit
from estate.reports.measures import (
    BY_KEY,
    ON_TIME,
    PLANNED_ON_TIME,
    SATISFACTION_DEGREE,
    SATISFACTION_RATE,
    SATISFIED,
    Figure,
)
from estate.reports.periods import Period
from estate.reports.planned_work import shares
from estate.reports.wording import counts_text, value_text
from estate.timerules.choices import Rule
from estate.timerules.models import KEPT, MISSED, Clock
from estate.visits.choices import VisitStatus
from estate.visits.measures import VisitCounts
from estate.visits.models import ReturnVisit
from estate.workorders.choices import Action
from estate.workorders.models import Rectification, WorkOrder, WorkOrderEvent

# The rules of the work itself, held against the unit and the person who did it.
WORK_RULES = (Rule.SAME_DAY_COMPLETION, Rule.CONCIERGE_ACCEPTED, Rule.ON_SCENE)


@dataclass
class Evaluation:
    key: int
    name: str
    received: int = 0
    completed: int = 0
    rules: dict[str, Figure] = field(default_factory=dict)
    satisfaction: Figure = field(default_factory=lambda: Figure(SATISFACTION_RATE, 0, 0))
    degree: Figure = field(default_factory=lambda: Figure(SATISFACTION_DEGREE, 0, 0))
    reopened: int = 0
    complaints: int = 0
    rectifications: int = 0
    rectifications_done: int = 0
    phrase_hits: int = 0
    planned_due: int = 0
    planned_on_time: int = 0
    planned_late: int = 0
    planned_missed: int = 0

    @property
    def planned(self) -> Figure:
        """Planned tasks done within their window, of the settled ones."""
        counted = self.planned_on_time + self.planned_late + self.planned_missed
        return Figure(PLANNED_ON_TIME, self.planned_on_time, counted)

    @property
    def on_time(self) -> Figure:
        kept = sum(int(f.part) for f in self.rules.values())
        counted = sum(int(f.whole or 0) for f in self.rules.values())
        return Figure(ON_TIME, kept, counted)

    def rule(self, rule: str) -> Figure:
        return self.rules.get(rule, Figure(BY_KEY[rule], 0, 0))


@dataclass
class Report:
    units: list[Evaluation]
    staff: list[Evaluation]
    rules: list[str]  # the rules anybody was counted on, in the order of the rules


def _between(start: datetime, end: datetime, field_name: str) -> Q:
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


def evaluate(
    office: Office,
    period: Period,
    units: Iterable[ServiceUnit],
    staff: Iterable[User],
) -> Report:
    start, end = period.bounds(office.timezone)
    by_unit = {unit.pk: Evaluation(unit.pk, unit.name) for unit in units}
    by_person = {person.pk: Evaluation(person.pk, str(person)) for person in staff}
    orders = WorkOrder.objects.filter(office=office)
    _orders(orders, "service_unit", by_unit, start, end)
    _orders(orders, "assignee", by_person, start, end)
    clocks = Clock.objects.filter(office=office, started_at__gte=start, started_at__lt=end)
    _clocks(clocks.filter(rule__in=WORK_RULES), F("work_order__service_unit"), by_unit)
    owner = Case(
        When(rule__in=WORK_RULES, then=Coalesce("person", "work_order__assignee")),
        default=F("work_order__accountable"),
    )
    _clocks(clocks, owner, by_person)
    visits = ReturnVisit.objects.filter(
        office=office, status=VisitStatus.DONE, visited_at__gte=start, visited_at__lt=end
    )
    _visits(visits, "work_order__service_unit", by_unit)
    _visits(visits, "work_order__assignee", by_person)
    reopenings = WorkOrderEvent.objects.filter(
        work_order__office=office, action=Action.REOPEN, at__gte=start, at__lt=end
    )
    _reopened(reopenings, "work_order__service_unit", by_unit)
    _reopened(reopenings, "work_order__assignee", by_person)
    members = _members(office, by_unit)
    rectifications = Rectification.objects.filter(office=office, set_at__gte=start, set_at__lt=end)
    _rectifications(rectifications, by_person, {p: {p} for p in by_person})
    _rectifications(rectifications, by_unit, members)
    hits = PhraseHit.objects.filter(office=office, at__gte=start, at__lt=end)
    for person_id, count in hits.values_list("staff_member").annotate(n=Count("id")).order_by():
        if person_id in by_person:
            by_person[person_id].phrase_hits += count
        for unit_id in members.get(person_id, ()):
            by_unit[unit_id].phrase_hits += count
    tasks = PlannedTask.objects.filter(
        office=office, service_unit__in=list(by_unit), due_at__gte=start, due_at__lt=end
    )
    for share in shares(tasks, "service_unit", timezone.now()):
        row = by_unit[share.key]
        row.planned_due, row.planned_on_time = share.due, share.on_time
        row.planned_late, row.planned_missed = share.late, share.missed
    counted = {rule for row in [*by_unit.values(), *by_person.values()] for rule in row.rules}
    return Report(
        units=list(by_unit.values()),
        staff=list(by_person.values()),
        rules=[rule for rule in Rule.values if rule in counted],
    )


def _orders(
    orders: Any, field_name: str, rows: dict[int, Evaluation], start: datetime, end: datetime
) -> None:
    for key, received, completed in (
        orders.filter(**{f"{field_name}__in": list(rows)})
        .filter(_between(start, end, "opened_at") | _between(start, end, "completed_at"))
        .values_list(field_name)
        .annotate(
            received=Count("id", filter=_between(start, end, "opened_at")),
            completed=Count("id", filter=_between(start, end, "completed_at")),
        )
        .order_by()
    ):
        rows[key].received, rows[key].completed = received, completed


def _clocks(clocks: Any, who: Any, rows: dict[int, Evaluation]) -> None:
    for key, rule, kept, missed in (
        clocks.annotate(who=who)
        .filter(who__in=list(rows))
        .values_list("who", "rule")
        .annotate(
            kept=Count("id", filter=KEPT),
            missed=Count("id", filter=MISSED),
        )
        .order_by()
    ):
        if kept + missed:
            rows[key].rules[rule] = Figure(BY_KEY[rule], kept, kept + missed)


def _visits(visits: Any, field_name: str, rows: dict[int, Evaluation]) -> None:
    for key, answers, satisfied, score_sum in (
        visits.filter(**{f"{field_name}__in": list(rows)})
        .values_list(field_name)
        .annotate(
            answers=Count("id", filter=Q(score__isnull=False)),
            satisfied=Count("id", filter=SATISFIED),
            score_sum=Sum("score"),
        )
        .order_by()
    ):
        counts = VisitCounts(answers=answers, satisfied=satisfied, score_sum=score_sum or 0)
        rows[key].satisfaction = Figure(SATISFACTION_RATE, counts.satisfied, counts.answers)
        rows[key].degree = Figure(SATISFACTION_DEGREE, *counts.degree_points)


def _reopened(events: Any, field_name: str, rows: dict[int, Evaluation]) -> None:
    for key, count in (
        events.filter(**{f"{field_name}__in": list(rows)})
        .values_list(field_name)
        .annotate(n=Count("work_order", distinct=True))
        .order_by()
    ):
        rows[key].reopened = count


def _members(office: Office, units: dict[int, Evaluation]) -> dict[int, set[int]]:
    """Person -> the units they work in (of those evaluated)."""
    members: dict[int, set[int]] = defaultdict(set)
    for person_id, unit_id in StaffRole.objects.filter(
        office=office, service_unit_id__in=list(units)
    ).values_list("user_id", "service_unit_id"):
        members[person_id].add(unit_id)
    return members


def _rectifications(
    rectifications: Any, rows: dict[int, Evaluation], owners: dict[int, set[int]]
) -> None:
    """Rectifications set on people (a few a month), with the complaints they came from."""
    complaints: dict[int, set[int]] = defaultdict(set)
    for person_id, order_id, done in rectifications.values_list(
        "staff_member", "work_order_id", "done_at"
    ):
        for key in owners.get(person_id, ()):
            row = rows[key]
            row.rectifications += 1
            row.rectifications_done += done is not None
            complaints[key].add(order_id)
    for key, orders in complaints.items():
        rows[key].complaints = len(orders)


def _rate(figure: Figure) -> str:
    counts = counts_text(figure)
    return f"{value_text(figure)} ({counts})" if counts else "—"


def _planned(row: Evaluation) -> list[str | int]:
    return [row.planned_due, _rate(row.planned), row.planned_late, row.planned_missed]


def table(
    report: Report, rows: list[Evaluation], *, planned: bool = False
) -> list[list[str | int]]:
    """Header and one line per unit or person, as on the page and in the workbook; with
    ``planned`` (the units), their planned work beside their orders."""
    header: list[str | int] = [
        _("Name"),
        _("Orders received"),
        _("Orders completed"),
        *(
            [
                _("Planned tasks due"),
                str(PLANNED_ON_TIME.label),
                _("Planned tasks late"),
                _("Planned tasks missed"),
            ]
            if planned
            else []
        ),
        str(ON_TIME.label),
        *[str(Rule(rule).label) for rule in report.rules],
        _("Satisfaction rate"),
        _("Satisfaction degree"),
        _("Reopened"),
        _("Complaints against"),
        _("Rectifications (done / set)"),
        _("Forbidden-phrase hits"),
    ]
    lines: list[list[str | int]] = [header]
    for row in rows:
        lines.append(
            [
                row.name,
                row.received,
                row.completed,
                *(_planned(row) if planned else []),
                _rate(row.on_time),
                *[_rate(row.rule(rule)) for rule in report.rules],
                _rate(row.satisfaction),
                _rate(row.degree),
                row.reopened,
                row.complaints,
                f"{row.rectifications_done} / {row.rectifications}",
                row.phrase_hits,
            ]
        )
    return lines


def evaluation_xlsx(report: Report) -> bytes:
    return write_xlsx_sheets(
        [
            (_("Service units"), table(report, report.units, planned=True)),
            (_("Staff"), table(report, report.staff)),
        ]
    )
