"""The 3-minute acknowledgement (GB/T 33358-2016): a request that came in online is answered
with its number by estate itself, and the rule (``Rule.ACKNOWLEDGED``) is met when that
message reached the person: at once for a request made in the portal (the page and the inbox
show the number; a text may wait for the person's quiet hours), else when the first delivery
on the channel they wrote on was sent."""

from __future__ import annotations

from datetime import datetime

from estate.messaging.choices import OPEN_DELIVERY_STATES, Kind
from estate.messaging.models import Message
from estate.timerules import clocks
from estate.timerules.choices import Rule


def acknowledged_if_told(message: Message) -> None:
    """Just written: met now for a portal request, or if no delivery is still to go out."""
    order = message.work_order
    if order is None:
        return
    in_the_portal = order.contact is not None and order.contact.channel == "online"
    if in_the_portal or not message.deliveries.filter(state__in=OPEN_DELIVERY_STATES):
        clocks.meet(order, {Rule.ACKNOWLEDGED}, message.created_at)


def acknowledged_when_sent(message: Message, at: datetime) -> None:
    order = message.work_order
    if message.kind == Kind.RECEIVED and order is not None:
        clocks.meet(order, {Rule.ACKNOWLEDGED}, at)
