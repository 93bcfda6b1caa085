"""What both providers' clients answer, in estate's words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


class BadNotification(Exception):
    """A notification whose signature does not verify, or that cannot be read: nothing is done."""


@dataclass(frozen=True)
class Notice:
    """A verified notification of a payment."""

    notification_id: str
    out_trade_no: str
    transaction_id: str
    amount: Decimal | None  # None: not a payment (another event)
    paid: bool
    digest: str


@dataclass(frozen=True)
class TradeState:
    """What the provider says of an order when asked."""

    paid: bool
    transaction_id: str = ""
    amount: Decimal | None = None
    exists: bool = True


@dataclass(frozen=True)
class BillRow:
    out_trade_no: str
    transaction_id: str
    amount: Decimal
