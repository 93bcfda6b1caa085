"""Firing warnings, breaches and escalations exactly once, at their time.

Every step is a compare-and-set on the clock row and its notification is written in the
same transaction, so any number of schedulers (or a restarted one catching up on what
fell due while it was down) send each notification once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from estate.accounts.people import people_with_role
from estate.accounts.roles import Role
from estate.notifications.actions import notify
from estate.notifications.messages import Message
from estate.timerules.choices import ClockState, Rule
from estate.timerules.clocks import start_clock
from estate.timerules.models import Clock
from estate.workorders.choices import OPEN_STATUSES, Status

BATCH = 500
# The longest the scheduler sleeps: a clock started with a deadline sooner than this while it
# slept is still fired within this long of its due time.
SAFETY_SWEEP = timedelta(seconds=15)
# After a breach: managers at once, the head after an hour, company leadership after a day.
ESCALATION = (
    (1, timedelta(0), Role.MANAGER),
    (2, timedelta(hours=1), Role.HEAD),
    (3, timedelta(days=1), Role.LEADERSHIP),
)


@dataclass
class SweepResult:
    warned: int = 0
    breached: int = 0
    escalated: int = 0
    more: bool = False  # a batch was full: more is due already, sweep again at once


def _people_on_the_order(clock: Clock) -> list[Any]:
    order = clock.work_order
    people = [clock.person, order.assignee, order.accountable]
    if (
        order.assignee is None
        and order.service_unit is not None
        and order.service_unit.lead is not None
    ):
        people.append(order.service_unit.lead)
    return people


DUE_SOON = gettext_lazy("Due soon: %(rule)s, order %(number)s (%(place)s).")
DUE_SOON_FOR = gettext_lazy("Due soon: %(rule)s for %(people)s, order %(number)s (%(place)s).")
MISSED = gettext_lazy("Missed: %(rule)s, order %(number)s (%(place)s).")
MISSED_BY = gettext_lazy("Missed: %(rule)s by %(people)s, order %(number)s (%(place)s).")


def _message(clocks: list[Clock], *, plain: Promise, named: Promise) -> Message:
    """One message for the clocks of one order and rule that fell due together; a rule that runs
    per person (each emergency responder's 5 minutes) names the people it is about."""
    first = clocks[0]
    order = first.work_order
    people = "、".join(str(clock.person) for clock in clocks if clock.person is not None)
    return Message(
        named if people else plain,
        {
            "rule": Rule(first.rule).label,
            "people": people,
            "number": order.number,
            "place": order.place,
        },
    )


def _together(clocks: list[Clock]) -> list[list[Clock]]:
    """The clocks grouped by order and rule, in their first clock's order: one event each."""
    groups: dict[tuple[int, str], list[Clock]] = {}
    for clock in clocks:
        groups.setdefault((clock.work_order_id, clock.rule), []).append(clock)
    return list(groups.values())


def _clocks(condition: Q, order: str) -> list[Clock]:
    """A batch of clocks (at most BATCH), ordered by the column the index on (state, column) serves.

    The due rows are found first by id alone (an index range scan, planned in
    microseconds); only when some are due are they loaded with their order and people.
    """
    ids = list(Clock.objects.filter(condition).order_by(order).values_list("id", flat=True)[:BATCH])
    if not ids:
        return []
    return list(
        Clock.objects.filter(id__in=ids)
        .select_related(
            "person",
            "work_order__office",
            "work_order__assignee",
            "work_order__accountable",
            "work_order__service_unit__lead",
            "policy",
        )
        .order_by(order)
    )


def sweep(now: datetime | None = None) -> SweepResult:
    """Send what is due up to ``now``: warnings before a deadline, breaches at it, escalations
    after it. Clocks of one order and rule that fall due together are one event: each person
    concerned gets one message for it. A breach is stamped at its deadline, and escalations
    wait from the deadline, however late the scheduler noticed it."""
    now = now or timezone.now()
    result = SweepResult()
    warnings = _clocks(
        Q(state=ClockState.RUNNING, warn_at__lte=now, warned_at__isnull=True, due_at__gt=now),
        "warn_at",
    )
    for group in _together(warnings):
        with transaction.atomic():
            fired = [
                clock
                for clock in group
                if Clock.objects.filter(
                    pk=clock.pk, state=ClockState.RUNNING, warned_at__isnull=True
                ).update(warned_at=now)
            ]
            if fired:
                notify(
                    office_id=fired[0].work_order.office_id,
                    recipients=[p for clock in fired for p in _people_on_the_order(clock)],
                    kind="clock_warning",
                    text=_message(fired, plain=DUE_SOON, named=DUE_SOON_FOR),
                    link=reverse("workorders:detail", args=[fired[0].work_order_id]),
                    dedup_key=f"clock:{fired[0].pk}:warn",
                )
                result.warned += len(fired)
    breaches = _clocks(Q(state=ClockState.RUNNING, due_at__lte=now), "due_at")
    for group in _together(breaches):
        with transaction.atomic():
            fired = []
            for clock in group:
                if Clock.objects.filter(pk=clock.pk, state=ClockState.RUNNING).update(
                    state=ClockState.BREACHED, breached_at=clock.due_at
                ):
                    clock.breached_at = clock.due_at
                    fired.append(clock)
            result.breached += len(fired)
            if fired:
                extra = [p for clock in fired for p in _people_on_the_order(clock)]
                result.escalated += _escalate(fired, level=0, now=now, extra=extra)
                for clock in fired:
                    _roll_on(clock)
    later = Q()
    for level, wait, _role in ESCALATION[1:]:
        later |= Q(escalation_level=level - 1, breached_at__lte=now - wait)
    escalations = _clocks(Q(state=ClockState.BREACHED, met_at__isnull=True) & later, "breached_at")
    for group in _together(escalations):
        for level in sorted({clock.escalation_level for clock in group}):
            with transaction.atomic():
                same = [clock for clock in group if clock.escalation_level == level]
                result.escalated += _escalate(same, level=level, now=now)
    result.more = BATCH in (len(warnings), len(breaches), len(escalations))
    return result


def _roll_on(clock: Clock) -> None:
    """Weekly contact is rolling (R-A1.6, R-A2.4): a week without contact is one breach, and the
    next week starts at once from its deadline, so every silent week breaches and chases again
    until the matter is solved (a contact or the completion meets the running week)."""
    order = clock.work_order
    if clock.rule != Rule.WEEKLY_CONTACT or order.status not in OPEN_STATUSES:
        return
    if order.status == Status.COMPLETED or clock.policy is None:
        return
    start_clock(order, clock.policy, clock.due_at)


def _escalate(
    clocks: list[Clock], *, level: int, now: datetime, extra: list[Any] | None = None
) -> int:
    """Raise the clocks (one order and rule, at ``level``) to the next level whose wait has
    passed, with one message to the people of that level; how many were raised."""
    order = clocks[0].work_order
    for next_level, wait, role in ESCALATION:
        if next_level != level + 1:
            continue
        raised = [
            clock
            for clock in clocks
            if clock.breached_at is not None
            and clock.breached_at + wait <= now
            and Clock.objects.filter(pk=clock.pk, escalation_level=level).update(
                escalation_level=next_level
            )
        ]
        if not raised:
            return 0
        notify(
            office_id=order.office_id,
            recipients=[*(extra or []), *people_with_role(order.office, role)],
            kind="clock_breach",
            text=_message(raised, plain=MISSED, named=MISSED_BY),
            link=reverse("workorders:detail", args=[order.pk]),
            dedup_key=f"clock:{raised[0].pk}:breach:{next_level}",
        )
        return len(raised)
    return 0


def next_wake(now: datetime) -> datetime:
    """When something next falls due after ``now`` (a warning or a deadline), at most
    ``SAFETY_SWEEP`` away. Pass the time the last sweep ran at: what fell due since then is
    already past, and the caller sweeps again at once."""
    running = Clock.objects.filter(state=ClockState.RUNNING)
    due = running.filter(due_at__gt=now).order_by("due_at").values_list("due_at", flat=True).first()
    warn = (
        running.filter(warn_at__gt=now, warned_at__isnull=True)
        .order_by("warn_at")
        .values_list("warn_at", flat=True)
        .first()
    )
    return min(t for t in (now + SAFETY_SWEEP, due, warn) if t is not None)
