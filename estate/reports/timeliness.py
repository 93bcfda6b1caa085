"""How the time rules went in a period, per rule, aggregated in SQL over the stored clocks.

A clock counts in the period it started in. It was kept when it was met by its due time, and
missed when it breached (met late or not at all); clocks still running, paused or stopped
(a cancelled order) are not counted yet. The target of every rule is all of them kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, F, Q

from estate.core.money import to_cents
from estate.properties.models import Office
from estate.timerules.choices import ClockState, Rule
from estate.timerules.models import Clock


@dataclass
class RuleFigure:
    rule: str
    kept: int
    missed: int
    open: int

    @property
    def label(self) -> str:
        return str(Rule(self.rule).label)

    @property
    def rate(self) -> Decimal | None:
        counted = self.kept + self.missed
        return to_cents(Decimal(100) * self.kept / counted) if counted else None

    @property
    def met(self) -> bool | None:
        return None if self.rate is None else self.missed == 0


def rule_figures(office: Office, start: datetime, end: datetime) -> list[RuleFigure]:
    """One figure per rule of requirements.md, in the order of the rules (empty ones included)."""
    counts: dict[str, tuple[int, int, int]] = {
        rule: (kept, missed, still_open)
        for rule, kept, missed, still_open in Clock.objects.filter(
            work_order__office=office, started_at__gte=start, started_at__lt=end
        )
        .values("rule")
        .annotate(
            kept=Count("id", filter=Q(state=ClockState.MET, met_at__lte=F("due_at"))),
            missed=Count("id", filter=Q(state=ClockState.BREACHED)),
            still_open=Count("id", filter=Q(state__in=[ClockState.RUNNING, ClockState.PAUSED])),
        )
        .values_list("rule", "kept", "missed", "still_open")
    }
    return [RuleFigure(rule, *counts.get(rule, (0, 0, 0))) for rule in Rule.values]
