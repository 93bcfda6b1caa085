"""Who takes a complaint (R-A2.0: every complaint reaches a manager within 10 minutes).

A complaint logged without a handler who may handle complaints goes, at once, to the manager on
duty at the desk (the duty roster), else to the next manager in turn: the one who was given a
complaint longest ago (never, first). Whom to ask is decided by the capability table:
``HANDLE_COMPLAINTS`` counts for the rule, ``COMPLAINTS_ROTA`` takes them in turn.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import F, Max, Q

from estate.accounts.access import scope_for
from estate.accounts.models import User
from estate.accounts.people import people_who_can
from estate.accounts.roles import Capability
from estate.properties.models import Office
from estate.workorders.choices import Kind


def handles_complaints(person: Any, office_id: int) -> bool:
    return person is not None and scope_for(person).can(Capability.HANDLE_COMPLAINTS, office_id)


def complaint_handler(office: Office, at: datetime) -> User | None:
    """The manager on duty at ``at``, else the next manager in turn; None in an office without."""
    rota = people_who_can(office, Capability.COMPLAINTS_ROTA)
    duty = on_duty(office, at, Capability.COMPLAINTS_ROTA)
    if duty:
        return duty[0]
    return (
        rota.annotate(
            last_given=Max(
                "assigned_work_orders__dispatched_at",
                filter=Q(
                    assigned_work_orders__kind=Kind.COMPLAINT,
                    assigned_work_orders__office=office,
                ),
            )
        )
        .order_by(F("last_given").asc(nulls_first=True), "id")
        .first()
    )


def on_duty(office: Office, at: datetime, capability: Capability) -> list[User]:
    """Those holding ``capability`` in ``office`` whom the duty roster has at the desk at ``at``."""
    from estate.frontdesk.models import DutyShift

    local = at.astimezone(ZoneInfo(office.timezone))
    ids = DutyShift.objects.filter(
        office=office, day=local.date(), starts_at__lte=local.time(), ends_at__gt=local.time()
    ).values("staff_member")
    return list(people_who_can(office, capability).filter(pk__in=ids).order_by("id"))


def desk_to_tell(office: Office, at: datetime) -> list[User]:
    """Who hears of a request waiting for dispatch: the desk staff on duty, else all of the
    desk (nobody on the roster at night: they see it first thing)."""
    return on_duty(office, at, Capability.RUN_DESK) or list(
        people_who_can(office, Capability.RUN_DESK).order_by("id")
    )
