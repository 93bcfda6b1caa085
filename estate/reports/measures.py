"""Every figure of the seed, defined once: what it counts (part and whole), its unit, its target,
and whether it met the target (higher or lower is better), judged on the exact counts.

The dashboard, the figures API, the billing page and collection API, the visits month page and
its API, the drill-down and the monthly report all take their figures and verdicts from here; the
row conditions below (what makes a call, a visit, a notice or a bill count as kept) are the same
ones the drill-down marks its rows by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import F, Q
from django.db.models.functions import Least
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from estate.core.rates import ONE_PLACE, percent
from estate.frontdesk.choices import THREE_RINGS_SECONDS
from estate.properties.choices import OfficeKind
from estate.timerules.choices import Rule
from estate.visits.choices import SATISFIED_FROM, SURVEY_HOUSEHOLDS

if TYPE_CHECKING:
    from estate.properties.models import Office

Number = int | Decimal


class Unit(StrEnum):
    PERCENT = "percent"  # a share of counted things: part / whole
    HOUSEHOLDS = "households"  # a count, at least the target (per month of the period)
    HOURS = "hours"  # a duration, at most the target
    COUNT = "count"  # things that should not be there (overdue inspections), at most the target


class Section(StrEnum):
    DESK = "desk"
    TIME_RULES = "time_rules"
    VISITS = "visits"
    RESIDENTS = "residents"
    FEES = "fees"
    PLANNED = "planned"


SECTION_LABELS: dict[Section, Promise] = {
    Section.DESK: _("Front desk and window"),
    Section.TIME_RULES: _("Time rules"),
    Section.VISITS: _("Return visits and satisfaction"),
    Section.RESIDENTS: _("Residents' matters"),
    Section.FEES: _("Fees and collection"),
    Section.PLANNED: _("Planned work"),
}


@dataclass(frozen=True)
class Measure:
    key: str
    label: Promise
    target: Decimal
    unit: Unit
    section: Section
    requirement: str
    office_kinds: frozenset[str] = frozenset(OfficeKind.values)

    @property
    def higher_is_better(self) -> bool:
        return self.unit not in (Unit.HOURS, Unit.COUNT)

    def applies_to(self, office: Office | None) -> bool:
        return office is None or office.kind in self.office_kinds

    def reached(self, part: Number, whole: Number | None, goal: Decimal) -> bool | None:
        """Whether ``part`` (of ``whole``, for a share) reaches ``goal``, on the exact counts:
        ``part * 100 >= goal * whole``, never a rounded percentage. None with nothing counted."""
        if self.unit == Unit.PERCENT:
            if not whole:
                return None
            return Decimal(part) * 100 >= goal * Decimal(whole)
        if self.higher_is_better:
            return Decimal(part) >= goal
        return Decimal(part) <= goal


@dataclass(frozen=True)
class Figure:
    """One measure's actual figure: a share ``part / whole``, or a count or duration in ``part``."""

    measure: Measure
    part: Number = 0
    whole: Number | None = None
    target: Decimal | None = None  # when it differs from the measure's (households per month)
    final: bool = True  # False while the stretch a figure is judged at the end of is running
    # Information shown beside a figure and never judged (inspections due within 30 days).
    aside: int | None = None

    @property
    def goal(self) -> Decimal:
        return self.measure.target if self.target is None else self.target

    @property
    def value(self) -> Decimal | None:
        """The figure as shown: a percentage to one place, or the count or hours."""
        if self.measure.unit != Unit.PERCENT:
            return Decimal(self.part).quantize(ONE_PLACE, ROUND_HALF_UP)
        return percent(self.part, self.whole or 0)

    @property
    def met(self) -> bool | None:
        """True or False against the target (on exact counts, not the rounded value); None when
        there is nothing to judge yet, or the figure is short while its stretch still runs."""
        reached = self.measure.reached(self.part, self.whole, self.goal)
        if reached is None:
            return None
        return reached if reached or self.final else None

    def __add__(self, other: Figure) -> Figure:
        """Two offices' figures together: counts add, targets of counts add too."""
        whole = (
            None
            if self.whole is None and other.whole is None
            else (self.whole or 0) + (other.whole or 0)
        )
        target = self.goal + other.goal if self.measure.unit == Unit.HOUSEHOLDS else self.target
        aside = (
            None
            if self.aside is None and other.aside is None
            else (self.aside or 0) + (other.aside or 0)
        )
        return Figure(
            self.measure, self.part + other.part, whole, target, self.final and other.final, aside
        )


def judged_at_end(last_day: date, as_of: date, today: date) -> bool:
    """A figure judged at the end of a stretch (a month's survey, a quarter's activity and bills)
    is final once counted as of its last day or later and that day is over; before that a short
    figure is "not yet", not missed."""
    return as_of >= last_day and last_day < today


HUNDRED = Decimal(100)
# Households, lobby notices, community activities and fees belong to property offices; a campus
# service centre serves departments and requesters and bills nobody.
PROPERTY = frozenset({OfficeKind.PROPERTY.value})

# What makes one counted thing count towards the part (the drill-down marks the rest).
IN_THREE_RINGS = Q(answered=True, ring_seconds__lte=THREE_RINGS_SECONDS)  # a call record
SATISFIED = Q(score__gte=SATISFIED_FROM)  # a return visit's answer
NOTICE_IN_TIME = Q(  # a common issue answered by a notice published by its due time
    notice__published_at__isnull=False, notice__published_at__lte=F("notice_due_at")
)
TOLD_WITHIN = timedelta(minutes=10)
# A message about an order step that reached the person within 10 minutes of its due time.
TOLD_IN_TIME_Q = Q(reached_at__isnull=False, reached_at__lte=F("due_at") + TOLD_WITHIN)
# The message kinds that tell of an order's steps (not bills, notices or interruptions).
ORDER_STEP_KINDS = (
    "received", "dispatched", "promised", "on_hold", "resumed", "completed", "reply", "update",
    "reopened", "rate",
)  # fmt: skip
# A delivery that got through, and one that is over (got through or failed for good).
DELIVERED_STATES = ("sent", "delivered")
FINISHED_STATES = ("sent", "delivered", "failed")
# A statement annotated with ``paid_then`` (``billing.collection.with_paid_as_of``) counts what
# was paid of it, at most in full.
COLLECTED = Least(F("paid_then"), F("total"))


def _rule(rule: Rule, requirement: str) -> Measure:
    return Measure(rule.value, rule.label, HUNDRED, Unit.PERCENT, Section.TIME_RULES, requirement)


THREE_RINGS = Measure(
    "three_rings",
    _("Calls answered within three rings"),
    HUNDRED,
    Unit.PERCENT,
    Section.DESK,
    "R-A1.1",
)
UNSTAFFED_HOURS = Measure(
    "unstaffed_hours",
    _("Window hours nobody was on duty"),
    Decimal(0),
    Unit.HOURS,
    Section.DESK,
    "R-B1",
)
SURVEY_HOUSEHOLDS_VISITED = Measure(
    "survey_households",
    _("Households visited in the monthly survey"),
    Decimal(SURVEY_HOUSEHOLDS),
    Unit.HOUSEHOLDS,
    Section.VISITS,
    "R-A4.0",
    PROPERTY,
)
SATISFACTION_RATE = Measure(
    "satisfaction_rate",
    _("Satisfaction rate (scores of 3 and above)"),
    Decimal(96),
    Unit.PERCENT,
    Section.VISITS,
    "R-A4.0",
)
SATISFACTION_DEGREE = Measure(
    "satisfaction_degree",
    _("Satisfaction degree"),
    Decimal(75),
    Unit.PERCENT,
    Section.VISITS,
    "R-A4.0",
)
COMPLAINT_VISITS = Measure(
    "complaint_visits",
    _("Completed complaints visited back"),
    HUNDRED,
    Unit.PERCENT,
    Section.VISITS,
    "R-A4.0",
)
COMMON_ISSUE_NOTICES = Measure(
    "common_issue_notices",
    _("Common issues answered by a notice within a week"),
    HUNDRED,
    Unit.PERCENT,
    Section.RESIDENTS,
    "R-A4.4",
)
QUARTERLY_ACTIVITY = Measure(
    "quarterly_activity",
    _("Community activity held this quarter"),
    HUNDRED,
    Unit.PERCENT,
    Section.RESIDENTS,
    "R-A5",
    PROPERTY,
)
# By amount: what was paid of what was billed for the quarter. The share of households paid in
# full is shown beside it for information; it is not part of the verdict.
COLLECTION_RATE = Measure(
    "collection_rate",
    _("Collection rate of the quarter's bills (by amount)"),
    Decimal(99),
    Unit.PERCENT,
    Section.FEES,
    "R-A6",
    PROPERTY,
)

# Messages to requesters (告知): told of each step of their order within 10 minutes of when
# they should be (at once, or when their quiet hours end), and deliveries that got through.
# The seed sets no number; these targets are ours (decision 0012).
TOLD_IN_TIME = Measure(
    "told_in_time",
    _("Requesters told of each step within 10 minutes"),
    Decimal(95),
    Unit.PERCENT,
    Section.RESIDENTS,
    "R-C2",
)
MESSAGES_DELIVERED = Measure(
    "messages_delivered",
    _("Messages to requesters delivered (not failed)"),
    Decimal(99),
    Unit.PERCENT,
    Section.RESIDENTS,
    "R-C2",
)

# Planned work (issue #21; decision 0007, "Planned work"). The seed sets no number: a task is
# done within its window 95 % of the time (a plant room locked, a lift in use by a move), every
# check point of a patrol is scanned (a point not walked is a place nobody looked at), and no
# legal inspection is overdue (it is the law, not a habit).
PLANNED_ON_TIME = Measure(
    "planned_on_time",
    _("Planned tasks done within their window"),
    Decimal(95),
    Unit.PERCENT,
    Section.PLANNED,
    "#21",
)
PATROL_COVERAGE = Measure(
    "patrol_coverage",
    _("Patrol check points scanned"),
    HUNDRED,
    Unit.PERCENT,
    Section.PLANNED,
    "#21",
)
INSPECTIONS_DUE = Measure(
    "inspections_due",
    _("Equipment with its legal inspection overdue"),
    Decimal(0),
    Unit.COUNT,
    Section.PLANNED,
    "#21",
)
# Not a target: the pieces of equipment with the most faults in the period (a list, drilled
# down to their orders); the key names its drill-down.
EQUIPMENT_FAULTS = Measure(
    "equipment_faults",
    _("Faults per piece of equipment"),
    Decimal(0),
    Unit.COUNT,
    Section.PLANNED,
    "#21",
)

MEASURES: tuple[Measure, ...] = (
    THREE_RINGS,
    UNSTAFFED_HOURS,
    _rule(Rule.COMPLAINT_DISPATCH, "R-A2.0"),
    _rule(Rule.ON_SCENE, "R-A2.1"),
    _rule(Rule.SAME_DAY_REPLY, "R-A2.4"),
    _rule(Rule.HEAD_SAME_DAY, "R-A2.3"),
    _rule(Rule.SAME_DAY_COMPLETION, "R-A3"),
    _rule(Rule.IMPORTANT_COMPLAINT, "R-A2.2"),
    _rule(Rule.WEEKLY_CONTACT, "R-A1.6"),
    _rule(Rule.FOLLOW_UP, "R-A2.0"),
    _rule(Rule.CONCIERGE_ACCEPTED, "R-A5"),
    _rule(Rule.ONLINE_DISPATCH, "R-A1.3"),
    _rule(Rule.ACKNOWLEDGED, "R-C2"),
    SURVEY_HOUSEHOLDS_VISITED,
    SATISFACTION_RATE,
    SATISFACTION_DEGREE,
    COMPLAINT_VISITS,
    COMMON_ISSUE_NOTICES,
    TOLD_IN_TIME,
    MESSAGES_DELIVERED,
    QUARTERLY_ACTIVITY,
    COLLECTION_RATE,
    PLANNED_ON_TIME,
    PATROL_COVERAGE,
    INSPECTIONS_DUE,
)
BY_KEY: dict[str, Measure] = {m.key: m for m in MEASURES}

# All the time rules together, for the evaluation of a unit or a person (not a seed target itself).
ON_TIME = Measure(
    "on_time", _("On time, all time rules"), HUNDRED, Unit.PERCENT, Section.TIME_RULES, "R-C4"
)
