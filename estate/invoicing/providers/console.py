"""The console provider: numbers invoices itself and prints their PDF, for an office without a
tax-control service yet (and for tests). Its invoices are not tax invoices; the PDF says so."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from estate.invoicing.models import InvoiceSequence
from estate.invoicing.printing import invoice_pdf
from estate.invoicing.providers import InvoiceData, IssuedInvoice, RedData

# Digit 5 of a 數電 number names the channel that issued it; 9 is ours, no real channel's.
CONSOLE_CHANNEL = "9"


def next_number(office_id: int, year: int) -> str:
    """20 digits like a 數電 number: year (2), region 00 (none: not a tax invoice), channel 9,
    the office (5), a yearly sequence (10). Run in the issuing transaction: the counter row's
    UPDATE holds it until commit, so two cashiers never get one number."""
    sequence = InvoiceSequence.objects.filter(office_id=office_id, year=year)
    if not sequence.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                InvoiceSequence.objects.create(office_id=office_id, year=year, last=1)
        except IntegrityError:
            sequence.update(last=F("last") + 1)
    last = sequence.values_list("last", flat=True).get()
    return f"{year % 100:02d}00{CONSOLE_CHANNEL}{office_id:05d}{last:010d}"


class ConsoleProvider:
    name = "console"
    tax_rate = Decimal("0.06")

    def issue(self, data: InvoiceData) -> IssuedInvoice:
        today = timezone.localdate()
        number = next_number(data.office_id, today.year)
        pdf = invoice_pdf(
            number=number,
            issued_on=today,
            seller=data.seller_name,
            buyer=data.buyer_name,
            tax_id=data.tax_id,
            lines=[(line.description, line.amount) for line in data.lines],
            amount=data.amount,
            tax_rate=data.tax_rate,
            tax_amount=data.tax_amount,
            remark=data.remark,
        )
        return IssuedInvoice(number=number, issued_on=today, pdf_bytes=pdf, reference=data.serial)

    def issue_red(self, data: RedData) -> IssuedInvoice:
        today = timezone.localdate()
        number = next_number(data.office_id, today.year)
        pdf = invoice_pdf(
            number=number,
            issued_on=today,
            seller=data.seller_name,
            buyer=data.buyer_name,
            tax_id=data.tax_id,
            lines=[(data.reason, data.amount)],
            amount=data.amount,
            tax_rate=data.tax_rate,
            tax_amount=data.tax_amount,
            remark=data.reason,
            original=data.original_number,
        )
        return IssuedInvoice(number=number, issued_on=today, pdf_bytes=pdf, reference=data.serial)
