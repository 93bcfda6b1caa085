"""The targets of the seed, each a measure the dashboard shows beside its actual figure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from estate.billing.collection import TARGET as COLLECTION_TARGET
from estate.properties.choices import OfficeKind
from estate.properties.models import Office
from estate.timerules.choices import Rule
from estate.visits.choices import SURVEY_HOUSEHOLDS
from estate.visits.measures import COMPLAINT_TARGET, DEGREE_TARGET, RATE_TARGET


class Unit(StrEnum):
    PERCENT = "percent"  # a share of counted things: part / whole
    HOUSEHOLDS = "households"  # a count, at least the target (per month of the period)
    HOURS = "hours"  # a duration, at most the target


class Section(StrEnum):
    DESK = "desk"
    TIME_RULES = "time_rules"
    VISITS = "visits"
    RESIDENTS = "residents"
    FEES = "fees"


SECTION_LABELS: dict[Section, Promise] = {
    Section.DESK: _("Front desk and window"),
    Section.TIME_RULES: _("Time rules"),
    Section.VISITS: _("Return visits and satisfaction"),
    Section.RESIDENTS: _("Residents' matters"),
    Section.FEES: _("Fees and collection"),
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
        return self.unit != Unit.HOURS

    def applies_to(self, office: Office | None) -> bool:
        return office is None or office.kind in self.office_kinds


HUNDRED = Decimal(100)
# Households, lobby notices, community activities and fees belong to property offices; a campus
# service centre serves departments and requesters and bills nobody.
PROPERTY = frozenset({OfficeKind.PROPERTY.value})


def _rule(rule: Rule, requirement: str) -> Measure:
    return Measure(rule.value, rule.label, HUNDRED, Unit.PERCENT, Section.TIME_RULES, requirement)


MEASURES: tuple[Measure, ...] = (
    Measure(
        "three_rings",
        _("Calls answered within three rings"),
        HUNDRED,
        Unit.PERCENT,
        Section.DESK,
        "R-A1.1",
    ),
    Measure(
        "unstaffed_hours",
        _("Window hours nobody was on duty"),
        Decimal(0),
        Unit.HOURS,
        Section.DESK,
        "R-B1",
    ),
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
    Measure(
        "survey_households",
        _("Households visited in the monthly survey"),
        Decimal(SURVEY_HOUSEHOLDS),
        Unit.HOUSEHOLDS,
        Section.VISITS,
        "R-A4.0",
        PROPERTY,
    ),
    Measure(
        "satisfaction_rate",
        _("Satisfaction rate (scores of 3 and above)"),
        RATE_TARGET,
        Unit.PERCENT,
        Section.VISITS,
        "R-A4.0",
    ),
    Measure(
        "satisfaction_degree",
        _("Satisfaction degree"),
        DEGREE_TARGET,
        Unit.PERCENT,
        Section.VISITS,
        "R-A4.0",
    ),
    Measure(
        "complaint_visits",
        _("Completed complaints visited back"),
        COMPLAINT_TARGET,
        Unit.PERCENT,
        Section.VISITS,
        "R-A4.0",
    ),
    Measure(
        "common_issue_notices",
        _("Common issues answered by a notice within a week"),
        HUNDRED,
        Unit.PERCENT,
        Section.RESIDENTS,
        "R-A4.4",
    ),
    Measure(
        "quarterly_activity",
        _("Community activity held this quarter"),
        HUNDRED,
        Unit.PERCENT,
        Section.RESIDENTS,
        "R-A5",
        PROPERTY,
    ),
    Measure(
        "collection_rate",
        _("Collection rate of the quarter's bills (by amount)"),
        COLLECTION_TARGET,
        Unit.PERCENT,
        Section.FEES,
        "R-A6",
        PROPERTY,
    ),
)
BY_KEY: dict[str, Measure] = {m.key: m for m in MEASURES}

# All the time rules together, for the evaluation of a unit or a person (not a seed target itself).
ON_TIME = Measure(
    "on_time", _("On time, all time rules"), HUNDRED, Unit.PERCENT, Section.TIME_RULES, "R-C4"
)
