"""What a resident says back on their order in the portal: "it is done, thank you", "it is not
fixed", and a message or photo while it is open.

Each answer to a finished job counts once (a second tap on a slow phone must not add a second
note or reopen twice): confirming or reopening answers the latest completion, and after either
the page offers neither and the server refuses both with a message. A job completed again after
a reopening can be answered again. A message goes the way a requester's reply by text does
(``frontdesk.actions.add_contact_to_order``): a contact added to the order, a line on its
timeline, its holder told. What residents write is their own words, so the forbidden-phrase
guard (for staff) does not apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from estate.frontdesk.actions import MAX_PHOTOS, add_contact_to_order
from estate.frontdesk.choices import Channel as ContactChannel
from estate.properties.models import Resident
from estate.workorders import actions as work_orders
from estate.workorders import photos as order_photos
from estate.workorders.choices import OPEN_STATUSES, Action, EventChannel, Status
from estate.workorders.models import WorkOrder, WorkOrderEvent

ANSWERABLE = frozenset({Status.COMPLETED, Status.REPLIED})
NOT_OPEN = gettext_lazy("This request is no longer open: report a new problem instead.")


def answer(
    order: WorkOrder, events: Sequence[WorkOrderEvent] | None = None
) -> WorkOrderEvent | None:
    """The requester's answer to the latest completion: their confirmation, or a reopening
    (``events``: the order's timeline when the caller has it already)."""
    timeline = sorted(order.events.all() if events is None else events, key=lambda e: e.pk)
    # By id, not time: steps in the same second keep their order.
    completions = [i for i, event in enumerate(timeline) if event.action == Action.COMPLETE]
    if not completions:
        return None
    for event in timeline[completions[-1] + 1 :]:
        if event.action == Action.REOPEN or (
            event.action == Action.COMMENT and event.data.get("confirmed") is True
        ):
            return event
    return None


def can_answer(order: WorkOrder) -> bool:
    return order.status in ANSWERABLE and answer(order) is None


def _refuse_a_second_answer(order: WorkOrder) -> None:
    given = answer(order)
    if given is None:
        if order.status not in ANSWERABLE:
            raise ValidationError(gettext("You can answer once the job is done."))
        return
    if given.action == Action.REOPEN:
        raise ValidationError(gettext("You have told us it is not fixed: we are on it."))
    raise ValidationError(gettext("You have already confirmed the job is done. Thank you."))


def confirm(order: WorkOrder, *, by: Any) -> WorkOrder:
    """The requester confirms the job is done (once per completion)."""
    with transaction.atomic():
        order = WorkOrder.objects.select_for_update().get(pk=order.pk)
        _refuse_a_second_answer(order)
        return work_orders.comment(
            order,
            text=gettext("The requester confirmed the job is done."),
            by=by,
            channel=EventChannel.PORTAL,
            data={"confirmed": True},
        )


def not_fixed(order: WorkOrder, *, reason: str, by: Any) -> WorkOrder:
    """The requester says it is not fixed: the order is reopened (once per completion)."""
    with transaction.atomic():
        order = WorkOrder.objects.select_for_update().get(pk=order.pk)
        _refuse_a_second_answer(order)
        return work_orders.reopen(order, reason=reason, by=by, channel=EventChannel.PORTAL)


def can_write(order: WorkOrder) -> bool:
    return order.status in OPEN_STATUSES


def write(
    order: WorkOrder, *, resident: Resident, text: str, photos: Sequence[Any] = ()
) -> WorkOrder:
    """A message and/or photos from the requester on an open order: a contact added to it (the
    holder told), the photos attached; all or nothing."""
    text = text.strip()
    if not text and not photos:
        raise ValidationError({"text": gettext("Write a message or choose a photo.")})
    if not can_write(order):
        raise ValidationError(NOT_OPEN)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": gettext("At most %(count)d photos.") % {"count": MAX_PHOTOS}}
        )
    for photo in photos:
        problem = order_photos.check_photo(photo)
        if problem:
            raise ValidationError({"photos": problem})
    words = text or gettext("(photos only)")
    with transaction.atomic():
        _logged, order, _none = add_contact_to_order(
            order,
            office=resident.office,
            by=resident.user,
            contact={
                "channel": ContactChannel.ONLINE,
                "kind": order.kind,
                "intent": words,
                "requester": resident,
                "unit": order.unit,
            },
            event_channel=EventChannel.PORTAL,
        )
        for photo in photos:
            order_photos.attach_photo(
                order, upload=photo, by=resident.user, channel=EventChannel.PORTAL
            )
    return order
