"""The 3-minute acknowledgement (GB/T 33358-2016): a request that came in online is answered
with its number by estate itself, and the rule (``Rule.ACKNOWLEDGED``) is met when that
message went out: when its first delivery was sent, or, for a person with no channel but the
portal, when it was written to their inbox."""

from __future__ import annotations

from datetime import datetime

from estate.messaging.choices import OPEN_DELIVERY_STATES, Kind
from estate.messaging.models import Message
from estate.timerules import clocks
from estate.timerules.choices import Rule


def acknowledged_if_told(message: Message) -> None:
    """Just written: met now if no delivery is still to go out."""
    order = message.work_order
    if order is not None and not message.deliveries.filter(state__in=OPEN_DELIVERY_STATES):
        clocks.meet(order, {Rule.ACKNOWLEDGED}, message.created_at)


def acknowledged_when_sent(message: Message, at: datetime) -> None:
    order = message.work_order
    if message.kind == Kind.RECEIVED and order is not None:
        clocks.meet(order, {Rule.ACKNOWLEDGED}, at)
