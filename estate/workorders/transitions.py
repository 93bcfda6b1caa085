"""The state writer of work orders: each step is a compare-and-set on the status
(``filter(pk=…, status=old).update(…)``) and an event on the timeline, in one transaction, so
two people acting on the same order at once cannot both succeed: the loser gets
``TransitionRefused`` and nothing changes. The actions (``actions``, ``photos``,
``rectifications``) say what a step means; this module only makes it happen once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from estate.workorders.choices import TRANSITIONS, Action, Status
from estate.workorders.models import WorkOrder, WorkOrderEvent


class TransitionRefused(Exception):
    """The action is not possible from the order's current status (the API answers 409)."""

    def __init__(self, order: WorkOrder, action: str) -> None:
        self.order = order
        self.action = action
        super().__init__(
            gettext("Not possible now: order %(number)s is “%(status)s”.")
            % {"number": order.number, "status": Status(order.status).label}
        )


def required(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field is required.")})
    return value


def record(
    order: WorkOrder,
    action: str,
    *,
    by: Any,
    channel: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> WorkOrderEvent:
    from estate.messaging import order_events
    from estate.timerules import clocks  # the clocks follow the timeline

    event = WorkOrderEvent.objects.create(
        work_order=order,
        action=action,
        at=at or timezone.now(),
        actor=by,
        channel=channel,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data or {},
    )
    clocks.on_event(order, action, event.at, by)
    order_events.on_event(order, event)  # the requester is told of the step
    return event


def transition(
    order: WorkOrder,
    action: str,
    *,
    by: Any,
    channel: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
    **changes: Any,
) -> WorkOrder:
    """Move ``order`` by ``action`` if its status (as read) allows it and nobody moved it meanwhile.

    ``at``: when the step was done, if not now (a step queued on a phone without signal); the
    event keeps when it reached us too."""
    if at is not None:
        data = {**(data or {}), "received_at": timezone.now().isoformat()}
    sources, target = TRANSITIONS[action]
    current = order.status
    if current not in sources:
        raise TransitionRefused(order, action)
    if action == Action.RESUME:
        target = order.held_from or Status.DISPATCHED
    new_status = target or current
    with transaction.atomic():
        updated = WorkOrder.objects.filter(pk=order.pk, status=current).update(
            status=new_status, **changes
        )
        if not updated:
            order.refresh_from_db()
            raise TransitionRefused(order, action)
        # The row now holds exactly these values; set them here rather than read the row back.
        order.status = new_status
        for field, value in changes.items():
            setattr(order, field, value)
        record(
            order,
            action,
            by=by,
            channel=channel,
            from_status=current,
            to_status=new_status,
            note=note,
            data=data,
            at=at,
        )
    return order
