"""The quarter's invoices at a glance: of the money kept (payments less approved voids and
refunds) on the quarter's statements, how much is invoiced (net of red letters) and how much
is not. Three SQL aggregates, whatever the number of payments."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from estate.billing.choices import ReversalStatus
from estate.billing.models import Payment, Reversal
from estate.core.money import ZERO
from estate.invoicing.choices import RequestStatus
from estate.invoicing.models import Invoice, InvoiceRequest


@dataclass(frozen=True)
class Invoiced:
    kept: Decimal
    invoiced: Decimal
    waiting: int

    @property
    def uninvoiced(self) -> Decimal:
        return self.kept - self.invoiced


def _sum(rows: object, field: str = "amount") -> Decimal:
    return rows.aggregate(total=Sum(field))["total"] or ZERO  # type: ignore[attr-defined]


def invoiced_in(office_id: int, quarter: str) -> Invoiced:
    received = _sum(Payment.objects.filter(office_id=office_id, statement__quarter=quarter))
    given_back = _sum(
        Reversal.objects.filter(
            office_id=office_id,
            payment__statement__quarter=quarter,
            status=ReversalStatus.APPROVED,
        )
    )
    invoiced = _sum(
        Invoice.objects.filter(office_id=office_id, request__payment__statement__quarter=quarter)
    )
    waiting = InvoiceRequest.objects.filter(
        office_id=office_id, status=RequestStatus.REQUESTED
    ).count()
    return Invoiced(kept=received - given_back, invoiced=invoiced, waiting=waiting)
