"""Run an action from a validated form: the bridge the order page and the API share.

Each action's form (``forms.ACTION_FORMS``) names its fields as the step's keyword arguments,
so a step is one line here; a field left empty (None) lets the step's default apply.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from estate.workorders import actions, photos, rectifications
from estate.workorders.choices import Action
from estate.workorders.models import WorkOrder

STEPS: dict[str, Callable[..., Any]] = {
    Action.DISPATCH: actions.dispatch,
    Action.ASSIGN: actions.assign,
    Action.TRANSFER: actions.transfer,
    Action.RETURN: actions.return_to_desk,
    Action.ACCEPT: actions.accept,
    Action.START: actions.start,
    Action.HOLD: actions.hold,
    Action.RESUME: actions.resume,
    Action.COMPLETE: actions.complete,
    Action.REPLY: actions.reply,
    Action.UPDATE_REQUESTER: actions.update_requester,
    Action.CLOSE: actions.close,
    Action.CANCEL: actions.cancel,
    Action.REOPEN: actions.reopen,
    Action.PROMISE: actions.promise,
    Action.COMMENT: actions.comment,
    Action.ATTACH: photos.attach_photo,
    Action.RECTIFY: rectifications.set_rectification,
    Action.RECTIFIED: rectifications.finish_rectification,
}
# A form field whose name the step spells differently.
ARGUMENT_FOR_FIELD = {"file": "upload"}


def perform(action: str, order: WorkOrder, data: dict[str, Any], *, by: Any, channel: str) -> Any:
    """Call the named step with the form's cleaned data."""
    arguments = {
        ARGUMENT_FOR_FIELD.get(field, field): value
        for field, value in data.items()
        if value is not None
    }
    return STEPS[action](order, **arguments, by=by, channel=channel)
