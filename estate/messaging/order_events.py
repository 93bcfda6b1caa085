"""What the requester is told at each step of their order (受理, 派單, 承諾, 暫停, 恢復, 完工,
回覆, 重開, 邀請評價). Called by the order's timeline (``transitions.record``) for every
event, in the event's transaction; the words are the office's templates."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from estate.messaging.actions import recipient_of_order, tell
from estate.messaging.choices import Kind as MessageKind
from estate.workorders.choices import Action, Kind, Status

# The step → what the requester is told.
TOLD_AT: dict[str, str] = {
    Action.OPEN: MessageKind.RECEIVED,
    Action.DISPATCH: MessageKind.DISPATCHED,
    Action.TRANSFER: MessageKind.DISPATCHED,
    Action.PROMISE: MessageKind.PROMISED,
    Action.HOLD: MessageKind.ON_HOLD,
    Action.RESUME: MessageKind.RESUMED,
    Action.COMPLETE: MessageKind.COMPLETED,
    Action.REPLY: MessageKind.REPLY,
    Action.UPDATE_REQUESTER: MessageKind.UPDATE,
    Action.REOPEN: MessageKind.REOPENED,
}


def _when(order: Any, at: datetime) -> str:
    return at.astimezone(ZoneInfo(order.office.timezone)).strftime("%m-%d %H:%M")


def _subject(order: Any) -> Any:
    if order.service_item_id:
        return order.service_item.name
    return Kind(order.kind).label


def _next_step(order: Any) -> Any:
    if order.kind == Kind.COMPLAINT:
        return _("A manager takes it up within 10 minutes.")
    if order.status == Status.NEW:
        return _("The desk sends it to the right team within 10 minutes.")
    return ""


def _expected(order: Any) -> Any:
    if order.promised_at:
        return _("by %(time)s") % {"time": _when(order, order.promised_at)}
    from estate.timerules.choices import ClockState, Rule

    due = (
        order.clocks.filter(
            rule__in=[Rule.SAME_DAY_COMPLETION, Rule.CONCIERGE_ACCEPTED, Rule.ON_SCENE],
            state=ClockState.RUNNING,
        )
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if due is not None:
        return _("by %(time)s") % {"time": _when(order, due)}
    return _("soon")


def _values(order: Any, action: str, event: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"number": order.number}
    if action == Action.OPEN:
        values.update(subject=_subject(order), next=_next_step(order))
    elif action in (Action.DISPATCH, Action.TRANSFER):
        team = order.service_unit.name if order.service_unit_id else ""
        values.update(team=team, expected=_expected(order))
    elif action == Action.PROMISE:
        values.update(promised=_when(order, order.promised_at), reason=order.promise_reason)
    elif action == Action.HOLD:
        resume = (
            _("Expected to go on from %(day)s.") % {"day": order.resume_on.isoformat()}
            if order.resume_on
            else ""
        )
        values.update(reason=order.hold_reason, resume=resume)
    elif action == Action.COMPLETE:
        fee = _("Fee: ¥%(fee)s.") % {"fee": order.fee_charged} if order.fee_charged else ""
        values.update(work_done=order.work_done, fee=fee)
    elif action in (Action.REPLY, Action.UPDATE_REQUESTER, Action.REOPEN):
        values.update(text=event.note, reason=event.note)
    return values


def on_event(order: Any, event: Any) -> None:
    """Tell the requester of this step, if it is one they are told of."""
    kind = TOLD_AT.get(event.action)
    if kind is None:
        return
    to = recipient_of_order(order)
    if not to.known:
        return
    if event.action == Action.TRANSFER and not order.service_unit_id:
        return
    link = (
        reverse("portal:order", args=[order.pk])
        if to.resident is not None and to.resident.user_id
        else ""
    )
    message = tell(
        office=order.office,
        kind=kind,
        to=to,
        values=_values(order, event.action, event),
        key=f"order:{order.pk}:event:{event.pk}",
        work_order=order,
        link=link,
        answering=_answering(order) if event.action == Action.OPEN else "",
        at=event.at,
    )
    if event.action == Action.OPEN and message is not None:
        from estate.messaging.acknowledgement import acknowledged_if_told

        acknowledged_if_told(message)
    if event.action == Action.REPLY and link and order.return_visits.filter(status="open").exists():
        tell(
            office=order.office,
            kind=MessageKind.RATE,
            to=to,
            values={"number": order.number},
            key=f"order:{order.pk}:rate:{event.pk}",
            work_order=order,
            link=link,
            at=event.at,
        )


def _answering(order: Any) -> str:
    """The channel the request came in by, when the answer can go back on it."""
    from estate.frontdesk.choices import BY_ITSELF

    channel = order.contact.channel if order.contact_id else ""
    return channel if channel in BY_ITSELF else ""
