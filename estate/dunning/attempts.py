"""Writing the trail of reminders (催繳記錄): staff record a call, a visit or a letter; estate
records each arrears message it sends, whose result follows the message's deliveries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from estate.billing.models import Statement
from estate.dunning.choices import RECORDED_BY_HAND, AttemptChannel, AttemptResult
from estate.dunning.models import ReminderAttempt
from estate.messaging.choices import Channel, DeliveryState
from estate.messaging.models import Delivery, Message
from estate.properties.models import Household

# A delivery's state as a reminder's result; a state not here (waiting, being sent, sent
# without a receipt yet) leaves the reminder "sent, no result yet".
_REACHED = {DeliveryState.DELIVERED}
_LOST = {DeliveryState.FAILED, DeliveryState.CANCELLED}


def record_attempt(
    *,
    household: Household,
    channel: str,
    result: str,
    by: Any,
    at: datetime | None = None,
    promised_on: date | None = None,
    note: str = "",
    statements: Iterable[Statement] = (),
) -> ReminderAttempt:
    """Staff record a reminder they made (a call, a door visit, a letter handed in): its result,
    the day promised when the household promised to pay, a note (needed for "other")."""
    note = (note or "").strip()
    errors: dict[str, Any] = {}
    if channel not in RECORDED_BY_HAND:
        errors["channel"] = _("Choose how you reminded the household.")
    if result not in AttemptResult.values or result == AttemptResult.PENDING:
        errors["result"] = _("Choose what came of the reminder.")
    if result == AttemptResult.PROMISED and promised_on is None:
        errors["promised_on"] = _("Give the day the household promised to pay by.")
    if result == AttemptResult.OTHER and not note:
        errors["note"] = _("Say what came of it.")
    now = timezone.now()
    at = at or now
    if at > now:
        errors["at"] = _("A reminder cannot be recorded in the future.")
    if promised_on is not None and promised_on < timezone.localtime(at).date():
        errors["promised_on"] = _("The promised day cannot be before the reminder.")
    if len(note) > 300:
        errors["note"] = _("Keep the note to 300 characters.")
    listed = list(statements)
    if any(s.household_id != household.pk for s in listed):
        errors["statements"] = _("Only the household's own statements can be listed.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        attempt = ReminderAttempt.objects.create(
            office_id=household.office_id,
            household=household,
            owed=sum((s.total - s.paid for s in listed), Decimal("0.00")) if listed else None,
            channel=channel,
            at=at,
            by=by,
            result=result,
            promised_on=promised_on if result == AttemptResult.PROMISED else None,
            note=note,
        )
        attempt.statements.set(listed)
    return attempt


def _from_deliveries(deliveries: list[tuple[str, str]]) -> tuple[str, str]:
    """(channel, result) of a message from its deliveries' (channel, state): reached when any
    channel reached the person (that channel), not reached when every channel failed; a message
    with no channel but the portal inbox is a portal notice."""
    if not deliveries:
        return AttemptChannel.PORTAL, AttemptResult.PENDING
    for channel, state in deliveries:
        if state in _REACHED:
            return _attempt_channel(channel), AttemptResult.DELIVERED
    channel = _attempt_channel(deliveries[0][0])
    if all(state in _LOST for _channel, state in deliveries):
        return channel, AttemptResult.NOT_REACHED
    return channel, AttemptResult.PENDING


def _attempt_channel(channel: str) -> str:
    return AttemptChannel.WECHAT if channel == Channel.WECHAT else AttemptChannel.SMS


def _deliveries_of(message_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    for message_id, channel, state in (
        Delivery.objects.filter(message_id__in=list(message_ids))
        .order_by("message_id", "channel")
        .values_list("message_id", "channel", "state")
    ):
        found.setdefault(message_id, []).append((channel, state))
    return found


def record_told(
    *, message: Message, household_id: int, statement_ids: Iterable[int], owed: Decimal
) -> ReminderAttempt:
    """An arrears message estate just wrote (``tell``), as the household's reminder by the
    system; called in the same transaction."""
    channel, result = _from_deliveries(_deliveries_of([message.pk]).get(message.pk, []))
    with transaction.atomic():
        attempt = ReminderAttempt.objects.create(
            office_id=message.office_id,
            household_id=household_id,
            owed=owed,
            channel=channel,
            at=message.created_at,
            by=None,
            result=result,
            message=message,
        )
        attempt.statements.set(list(statement_ids))
    return attempt


def follow_deliveries(message_ids: Iterable[int]) -> int:
    """Bring the reminders of these messages up to their deliveries' results; those whose staff
    have recorded a result of their own (a call after a failed text is another row) are left.
    The number of reminders changed."""
    ids = list(message_ids)
    attempts = list(
        ReminderAttempt.objects.filter(message_id__in=ids, by__isnull=True).only(
            "id", "message_id", "channel", "result"
        )
    )
    if not attempts:
        return 0
    deliveries = _deliveries_of(ids)
    changed = 0
    for attempt in attempts:
        assert attempt.message_id is not None
        channel, result = _from_deliveries(deliveries.get(attempt.message_id, []))
        if (channel, result) != (attempt.channel, attempt.result):
            changed += ReminderAttempt.objects.filter(pk=attempt.pk).update(
                channel=channel, result=result
            )
    return changed


def on_delivery_results(sender: Any, message_ids: list[int], **_kwargs: Any) -> None:
    follow_deliveries(message_ids)
