"""The field view (我的工單): what a worker or a team lead has to do, as cards for a phone.

A worker sees the open orders assigned to them; a lead also every open order of the units they
lead, those waiting for a person first. Each card carries the clock that runs out first, with
its colour, and the steps the person may take now. Who lands here is decided by capabilities:
those who do field work and neither run the desk nor read the figures (``lands_in_the_field``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Prefetch, Q

from estate.accounts.access import scope_for
from estate.accounts.models import User
from estate.accounts.roles import Capability
from estate.timerules.choices import ClockState
from estate.timerules.models import Clock
from estate.workorders import policy
from estate.workorders.choices import OPEN_STATUSES, Action, Status
from estate.workorders.models import WorkOrder

LIMIT = 100
# Steps taken from the card with one tap; the others need words and open the order page.
ONE_TAP = (Action.ACCEPT, Action.START, Action.RESUME)
FROM_THE_ORDER_PAGE = (Action.COMPLETE, Action.HOLD, Action.ATTACH)
SOON = timedelta(minutes=30)


def lands_in_the_field(user: Any) -> bool:
    """Field staff (workers, team leads): they do the work and neither run the desk nor read
    the office's figures."""
    scope = scope_for(user)
    return (
        bool(scope.office_ids_with(Capability.DO_WORK))
        and not scope.office_ids_with(Capability.RUN_DESK)
        and not scope.office_ids_with(Capability.VIEW_REPORTS)
    )


@dataclass
class Card:
    order: WorkOrder
    clock: Clock | None
    colour: str  # "danger" (overdue), "warning" (within 30 minutes), "success", "" (no clock)
    one_tap: list[tuple[str, Any]]
    on_the_page: list[tuple[str, Any]]
    waits_for_a_person: bool
    members: list[User] = field(default_factory=list)


def _first_clock(order: WorkOrder) -> Clock | None:
    running = [
        c for c in order.clocks.all() if c.state in (ClockState.RUNNING, ClockState.BREACHED)
    ]
    return min(running, key=lambda c: c.due_at, default=None)


def _colour(clock: Clock | None, now: datetime) -> str:
    if clock is None:
        return ""
    if clock.state == ClockState.BREACHED or clock.due_at <= now:
        return "danger"
    return "warning" if clock.due_at - now <= SOON else "success"


def my_jobs(user: Any, now: datetime) -> list[Card]:
    """The person's cards: waiting for a person first (for a lead), then by the clock that runs
    out first, then the oldest."""
    scope = scope_for(user)
    led = scope.led_unit_ids if scope.office_ids_with(Capability.LEAD_TEAM) else frozenset()
    orders = (
        WorkOrder.objects.visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(assignee=user) | Q(service_unit_id__in=led))
        .select_related("office", "unit", "service_unit", "assignee", "service_item")
        .prefetch_related(
            Prefetch(
                "clocks",
                queryset=Clock.objects.filter(state__in=[ClockState.RUNNING, ClockState.BREACHED]),
            )
        )
        .order_by("opened_at", "id")[:LIMIT]
    )
    members: dict[int, list[User]] = {}
    cards = []
    for order in orders:
        allowed = policy.allowed_actions(user, order)
        waits = order.assignee_id is None and order.status == Status.DISPATCHED
        clock = _first_clock(order)
        card = Card(
            order=order,
            clock=clock,
            colour=_colour(clock, now),
            one_tap=[(a, Action(a).label) for a in ONE_TAP if a in allowed],
            on_the_page=[(a, Action(a).label) for a in FROM_THE_ORDER_PAGE if a in allowed],
            waits_for_a_person=waits,
        )
        if Action.ASSIGN in allowed and order.service_unit_id:
            if order.service_unit_id not in members:
                members[order.service_unit_id] = list(
                    User.objects.filter(
                        staff_roles__service_unit_id=order.service_unit_id, is_active=True
                    )
                    .distinct()
                    .order_by("display_name", "username")
                )
            card.members = members[order.service_unit_id]
        cards.append(card)
    far = now + timedelta(days=3650)
    cards.sort(
        key=lambda c: (
            not c.waits_for_a_person,
            c.clock.due_at if c.clock else far,
            c.order.opened_at,
        )
    )
    return cards
