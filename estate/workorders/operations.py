"""Run an action from a validated form: the bridge the order page and the API share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from estate.workorders import actions
from estate.workorders.choices import Action
from estate.workorders.models import WorkOrder


def perform(
    action: str, order: WorkOrder, data: dict[str, Any], *, by: Any, channel: str, files: Any = None
) -> Any:
    """Call the named action with the form's cleaned data."""
    common = {"by": by, "channel": channel}
    match action:
        case Action.DISPATCH:
            return actions.dispatch(
                order, service_unit=data["service_unit"], assignee=data.get("assignee"), **common
            )
        case Action.ASSIGN:
            return actions.assign(order, assignee=data["assignee"], **common)
        case Action.TRANSFER:
            return actions.transfer(
                order,
                service_unit=data["service_unit"],
                assignee=data.get("assignee"),
                reason=data["reason"],
                **common,
            )
        case Action.RETURN:
            return actions.return_to_desk(order, reason=data["reason"], **common)
        case Action.ACCEPT:
            return actions.accept(order, **common)
        case Action.START:
            return actions.start(order, **common)
        case Action.HOLD:
            return actions.hold(
                order, reason=data["reason"], resume_on=data.get("resume_on"), **common
            )
        case Action.RESUME:
            return actions.resume(order, **common)
        case Action.COMPLETE:
            return actions.complete(
                order,
                work_done=data["work_done"],
                materials_used=data.get("materials_used") or "",
                fee_charged=data.get("fee_charged") or Decimal("0.00"),
                **common,
            )
        case Action.REPLY:
            return actions.reply(
                order,
                reply_channel=data["reply_channel"],
                text=data["text"],
                articles=data.get("articles") or (),
                **common,
            )
        case Action.UPDATE_REQUESTER:
            return actions.update_requester(
                order,
                reply_channel=data["reply_channel"],
                text=data["text"],
                articles=data.get("articles") or (),
                **common,
            )
        case Action.CLOSE:
            return actions.close(order, **common)
        case Action.CANCEL:
            return actions.cancel(order, reason=data["reason"], **common)
        case Action.REOPEN:
            return actions.reopen(order, reason=data["reason"], **common)
        case Action.PROMISE:
            return actions.promise(
                order, promised_at=data["promised_at"], reason=data["reason"], **common
            )
        case Action.COMMENT:
            return actions.comment(order, text=data["text"], **common)
        case Action.ATTACH:
            return actions.attach_photo(order, upload=data["file"], **common)
        case Action.RECTIFY:
            return actions.set_rectification(
                order,
                staff_member=data["staff_member"],
                measures=data["measures"],
                deadline=data["deadline"],
                penalty=data.get("penalty") or "",
                **common,
            )
        case Action.RECTIFIED:
            return actions.finish_rectification(
                order, rectification=data["rectification"], note=data["note"], **common
            )
    raise ValueError(f"unknown action {action}")
