"""Rows for the XLSX exports: statements with their lines, payments, arrears."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from estate.billing.models import Payment, Statement


def statement_rows(statements: Iterable[Statement]) -> Iterator[list[Any]]:
    yield [_("Number"), _("Unit"), _("Payer"), _("Item"), _("Basis"), _("Amount (yuan)"),
           _("Total"), _("Paid"), _("Owed"), _("Pay by")]  # fmt: skip
    for s in statements:
        for line in s.lines.all():
            yield [s.number, s.unit.address, s.payer, line.description, line.basis, line.amount,
                   s.total, s.paid, s.balance, s.due_on]  # fmt: skip


def payment_rows(payments: Iterable[Payment]) -> Iterator[list[Any]]:
    yield [_("Receipt number"), _("Statement"), _("Unit"), _("Amount (yuan)"), _("Method"),
           _("Reference"), _("Received"), _("Received by")]  # fmt: skip
    for p in payments:
        yield [p.receipt_number, p.statement.number, p.statement.unit.address, p.amount,
               p.get_method_display(), p.reference,
               timezone.localtime(p.received_at).replace(tzinfo=None), str(p.received_by)]  # fmt: skip


def arrears_rows(statements: Iterable[Statement], on: date) -> Iterator[list[Any]]:
    yield [_("Number"), _("Unit"), _("Payer"), _("Owed"), _("Pay by"), _("Days late")]
    for s in statements:
        yield [s.number, s.unit.address, s.payer, s.balance, s.due_on, max(0, (on - s.due_on).days)]
