"""Who may take which action on an order: the one place the UI and the API ask."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.workorders.choices import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    Action,
    ComplaintType,
)
from estate.workorders.models import WorkOrder

DESK_ACTIONS = frozenset(
    {
        Action.DISPATCH,
        Action.TRANSFER,
        Action.RETURN,
        Action.ASSIGN,
        Action.REPLY,
        Action.CLOSE,
        Action.CANCEL,
        Action.REOPEN,
        Action.PROMISE,
        Action.UPDATE_REQUESTER,
    }
)
TEAM_LEAD_ACTIONS = frozenset({Action.ASSIGN, Action.TRANSFER, Action.RETURN, Action.PROMISE})
WORK_ACTIONS = frozenset(
    {
        Action.ACCEPT,
        Action.START,
        Action.HOLD,
        Action.RESUME,
        Action.COMPLETE,
        Action.PROMISE,
        Action.USE_MATERIAL,
        Action.REMOVE_MATERIAL,
    }
)
EVERYONE = frozenset({Action.COMMENT, Action.ATTACH})
HEAD_ONLY = frozenset({Action.RECTIFY, Action.RECTIFIED})


def may(user: Any, action: str, order: WorkOrder) -> bool:
    """Whether ``user``'s roles allow ``action`` on ``order`` (the status is checked separately)."""
    scope = scope_for(user)
    office = order.office_id
    if office not in scope.office_ids or order.about_id == getattr(user, "pk", None):
        return False
    if action in EVERYONE:
        return True
    is_head = scope.can(Capability.ANSWER_AS_HEAD, office)
    if action in HEAD_ONLY:
        return is_head and order.complaint_type == ComplaintType.ATTITUDE
    if action in DESK_ACTIONS and scope.can(Capability.RUN_DESK, office):
        return True
    in_team = order.service_unit_id is not None and order.service_unit_id in scope.service_unit_ids
    is_assignee = order.assignee_id is not None and order.assignee_id == getattr(user, "pk", None)
    if (
        action in TEAM_LEAD_ACTIONS
        and scope.can(Capability.LEAD_TEAM, office)
        and (in_team or is_head)
    ):
        return True
    if action in WORK_ACTIONS and scope.can(Capability.DO_WORK, office):
        return is_assignee or in_team or is_head
    return False


def may_reveal_requester(user: Any, order: WorkOrder) -> bool:
    """The requester's full number: for whoever may see any number of the office, and for the
    people handling the order (its assignee, its team) while it is open."""
    scope = scope_for(user)
    if scope.can(Capability.REVEAL_PHONE, order.office_id):
        return True
    if order.status not in OPEN_STATUSES or order.about_id == getattr(user, "pk", None):
        return False
    handles = order.assignee_id == getattr(user, "pk", None) or (
        order.service_unit_id is not None and order.service_unit_id in scope.service_unit_ids
    )
    return handles and scope.can(Capability.REVEAL_HANDLED_PHONE, order.office_id)


def may_print_worker_copy(user: Any, order: WorkOrder) -> bool:
    """The assigned worker's copy of the printed order, with the requester's full number (the
    worker calls ahead): for an order with a person assigned, printed by whoever may reveal the
    number (the desk handing it over, or the worker and the team themselves)."""
    return order.assignee_id is not None and may_reveal_requester(user, order)


def may_record_materials(user: Any, order: WorkOrder) -> bool:
    """The materials used on an order: written by whoever may do its work (its assignee, its
    team, the head), and corrected by them, until the order is closed or cancelled; a line
    forgotten before completing can still be added while the requester is being answered."""
    return order.status not in FINISHED_STATUSES and may(user, Action.USE_MATERIAL, order)


def allowed_actions(user: Any, order: WorkOrder) -> list[str]:
    """The actions to offer on the order page: allowed by role and by the current status."""
    return [
        action
        for action, (sources, _target) in TRANSITIONS.items()
        if order.status in sources and may(user, action, order)
    ]


def check(user: Any, action: str, order: WorkOrder) -> None:
    if not may(user, action, order):
        raise PermissionDenied
