"""The interface to whoever issues invoices for the office (開票服務): a tax-control service
provider (稅控服務商) or the tax bureau's digital-invoice platform (數電發票, through a licensed
intermediary), or the console provider that stands in for one.

``INVOICE_PROVIDER`` (a dotted path) names the class; docs/decisions/0017-invoices.md says what
an adapter must do. Every call carries ``serial``, our own key for the invoice: an adapter sends
it as the provider's request serial (流水號), so a call retried after a timeout returns the invoice
issued the first time instead of issuing a second one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class InvoiceLine:
    """One line of the invoice: the service (物業管理服務) and its amount including tax."""

    description: str
    amount: Decimal


@dataclass(frozen=True)
class InvoiceData:
    """What a blue invoice says: the seller (the office), the buyer, the lines, the tax."""

    serial: str
    office_id: int
    seller_name: str
    buyer_kind: str
    buyer_name: str
    tax_id: str
    email: str
    phone: str
    lines: tuple[InvoiceLine, ...]
    amount: Decimal
    tax_rate: Decimal
    tax_amount: Decimal
    remark: str = ""


@dataclass(frozen=True)
class RedData:
    """A red-letter invoice against ``original_number``: ``amount`` is negative."""

    serial: str
    office_id: int
    seller_name: str
    buyer_name: str
    tax_id: str
    original_number: str
    original_issued_on: date
    amount: Decimal
    tax_rate: Decimal
    tax_amount: Decimal
    reason: str


@dataclass(frozen=True)
class IssuedInvoice:
    """What the provider answers: its number, the day, the PDF, its own reference."""

    number: str
    issued_on: date
    pdf_bytes: bytes
    reference: str = ""


class ProviderRefused(Exception):
    """The provider would not issue (its message says why, for the cashier)."""


class InvoiceProvider(Protocol):
    name: str
    # VAT on property-management services for a general taxpayer (一般納稅人): 6 %.
    tax_rate: Decimal

    def issue(self, data: InvoiceData) -> IssuedInvoice: ...

    def issue_red(self, data: RedData) -> IssuedInvoice: ...


@cache
def invoice_provider() -> InvoiceProvider:
    provider: InvoiceProvider = import_string(settings.INVOICE_PROVIDER)()
    return provider
