"""What households are told of their fees (出賬, 收款, 催繳) and of the office's notices:
a bill issued (amount, due date, where to pay), a payment received (the receipt), a reminder of
what is owed, a notice published. Each is told to the household's main contact (the payer);
the many at once are written by the worker after the step that caused them has committed.

A reminder says what is owed and where to pay, nothing more: 《民法典》第九百四十四條 forbids
cutting water, power or gas to make an owner pay, so no words of estate's ever suggest it (the
office's own template passes the forbidden-phrase guard)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.urls import reverse

from estate.billing.collection import arrears
from estate.billing.models import BillRun, Payment, Statement
from estate.dunning.attempts import record_told
from estate.messaging.actions import Recipient, tell
from estate.messaging.broadcast import BATCH, main_contacts, tell_households
from estate.messaging.choices import Kind
from estate.properties.models import Office


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _statements_in_batches(statements: QuerySet[Statement]) -> list[list[Statement]]:
    ids = list(statements.order_by("id").values_list("id", flat=True))
    return [
        list(Statement.objects.filter(id__in=ids[start : start + BATCH]).order_by("id"))
        for start in range(0, len(ids), BATCH)
    ]


@task()
def tell_bills_issued(run_id: int) -> int:
    """Each household of the run: its bill's amount and due date, and the portal's bills page."""
    run = BillRun.objects.select_related("office").get(pk=run_id)
    told = 0
    for batch in _statements_in_batches(Statement.objects.filter(run=run)):
        # A developer's statement (no household) has no resident to tell.
        contacts = main_contacts({s.household_id for s in batch if s.household_id is not None})
        for statement in batch:
            resident = contacts.get(statement.household_id or 0)
            if resident is None:
                continue
            message = tell(
                office=run.office,
                kind=Kind.BILL_ISSUED,
                to=Recipient(resident=resident),
                values={
                    "period": statement.quarter,
                    "amount": yuan(statement.total),
                    "due": statement.due_on.isoformat(),
                },
                key=f"statement:{statement.pk}:issued",
                link=reverse("portal:bills"),
            )
            told += message is not None
    return told


def bills_issued(run: BillRun) -> None:
    """Called when a run is issued: the households are told once it has committed."""
    transaction.on_commit(partial(tell_bills_issued.enqueue, run.pk))


def payment_received(payment: Payment) -> None:
    """Tell the household's main contact the money arrived, with the receipt to keep."""
    statement = payment.statement
    if statement.household_id is None:
        return  # the developer's: no resident to tell
    resident = main_contacts([statement.household_id]).get(statement.household_id)
    if resident is None:
        return
    tell(
        office=statement.office,
        kind=Kind.PAYMENT_RECEIVED,
        to=Recipient(resident=resident),
        values={"amount": yuan(payment.amount), "bill": statement.number},
        key=f"payment:{payment.pk}",
        link=reverse("portal:receipt_pdf", args=[payment.pk]),
    )


@task()
def tell_arrears(office_id: int, on: str, building_id: int | None = None) -> int:
    """Remind each household that owes money on ``on`` (an ISO date) of what it owes, once a
    day however often the cashier presses: one message per household, the sum of its bills."""
    office = Office.objects.get(pk=office_id)
    day = date.fromisoformat(on)
    owed: dict[int, Decimal] = defaultdict(Decimal)
    first_due: dict[int, date] = {}
    statements: dict[int, list[int]] = defaultdict(list)
    for statement_id, household_id, total, paid, due_on in arrears(
        office, on=day, building_id=building_id
    ).values_list("id", "household_id", "total", "paid", "due_on"):
        if due_on >= day or household_id is None:
            continue  # not due yet, or the developer's (reminded by letter, not message)
        owed[household_id] += total - paid
        first_due[household_id] = min(first_due.get(household_id, due_on), due_on)
        statements[household_id].append(statement_id)
    told = 0
    households = sorted(owed)
    for start in range(0, len(households), BATCH):
        contacts = main_contacts(households[start : start + BATCH])
        for household_id, resident in contacts.items():
            with transaction.atomic():  # the message and its place in the trail, or neither
                message = tell(
                    office=office,
                    kind=Kind.ARREARS,
                    to=Recipient(resident=resident),
                    values={
                        "amount": yuan(owed[household_id]),
                        "due": first_due[household_id].isoformat(),
                    },
                    key=f"arrears:{household_id}:{on}",
                    link=reverse("portal:bills"),
                )
                if message is not None:
                    # The dunning trail: one reminder by the system per household told.
                    record_told(
                        message=message,
                        household_id=household_id,
                        statement_ids=statements[household_id],
                        owed=owed[household_id],
                    )
            told += message is not None
    return told


def remind_arrears(office: Office, *, on: date, building_id: int | None = None) -> None:
    transaction.on_commit(partial(tell_arrears.enqueue, office.pk, on.isoformat(), building_id))


@task()
def tell_notice(notice_id: int) -> int:
    from estate.notices.models import Notice

    notice = Notice.objects.select_related("office").get(pk=notice_id)
    return tell_households(
        office=notice.office,
        kind=Kind.NOTICE,
        key=f"notice:{notice.pk}",
        values={"title": notice.title},
        link=reverse("portal:home"),  # the notices are on the home page
    )


def notice_published(notice_id: int) -> None:
    transaction.on_commit(partial(tell_notice.enqueue, notice_id))
