"""What a resident sees of the work on their order (看得見的服務): who came and when, what was done
with which materials and for what fee, and the photos, theirs and the worker's, before and
after. Read from the order's timeline, so it says what was recorded, nothing more."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext

from estate.accounts.models import User
from estate.properties.models import Resident
from estate.workorders.choices import Action
from estate.workorders.models import Attachment, WorkOrder, WorkOrderEvent


@dataclass(frozen=True)
class Work:
    """The latest round of work on an order (after a reopening, the new visit)."""

    worker: str = ""
    accepted_at: datetime | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    yours: list[Attachment] = field(default_factory=list)
    before: list[Attachment] = field(default_factory=list)
    after: list[Attachment] = field(default_factory=list)

    @property
    def photos(self) -> list[Attachment]:
        return [*self.yours, *self.before, *self.after]

    @property
    def groups(self) -> list[tuple[str, list[Attachment]]]:
        """The photos as the page shows them, each group under its heading."""
        return [
            (gettext("Your photos"), self.yours),
            (gettext("Before the work"), self.before),
            (gettext("After the work"), self.after),
        ]


def _name(user: User) -> str:
    """The name a resident may see: the display name, else the full name (never a login)."""
    return user.display_name or user.get_full_name()


def work_of(order: WorkOrder, events: Sequence[WorkOrderEvent] | None = None) -> Work:
    """The work as the timeline has it: the worker is who accepted or started the latest round
    (else the assignee); a staff photo taken before work started (or, with no start recorded,
    before completion) is a "before", the rest "after". Photos by residents, and those that
    came with a requester's email, are the resident's own (``events``: the order's timeline
    in time order, with actors, when the caller has it already)."""
    if events is None:
        events = list(order.events.select_related("actor").order_by("at", "id"))
    latest: dict[str, WorkOrderEvent] = {}
    for event in events:  # in time order: the latest of each stays
        if event.action in (Action.ACCEPT, Action.START):
            latest[event.action] = event
    accepted, started = latest.get(Action.ACCEPT), latest.get(Action.START)
    person = (
        (started.actor if started else None)
        or (accepted.actor if accepted else None)
        or order.assignee
    )
    worker = _name(person) if person else ""
    if not worker and order.service_unit is not None:
        worker = order.service_unit.name
    attachments = list(order.attachments.order_by("uploaded_at", "id"))
    residents = set(
        Resident.objects.filter(
            user_id__in={a.uploaded_by_id for a in attachments if a.uploaded_by_id}
        ).values_list("user_id", flat=True)
    )
    boundary = started.at if started else order.completed_at
    yours, before, after = [], [], []
    for attachment in attachments:
        if attachment.uploaded_by_id is None or attachment.uploaded_by_id in residents:
            yours.append(attachment)
        elif boundary is None or attachment.uploaded_at < boundary:
            before.append(attachment)
        else:
            after.append(attachment)
    return Work(
        worker=worker,
        accepted_at=accepted.at if accepted else None,
        started_at=started.at if started else None,
        completed_at=order.completed_at,
        yours=yours,
        before=before,
        after=after,
    )
