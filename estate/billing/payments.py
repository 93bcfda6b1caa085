"""Taking money, and giving it back: payments, voids and refunds, owners' remarks.

Every payment locks its statement's row first, so one statement is never paid twice however
many cashiers (or API clients) press at once; ``Statement.paid`` always equals the payments
less the approved reversals. An idempotency key makes a retried API call return the first
result; the same key with a different request is a conflict.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from estate.accounts.people import people_with_role
from estate.accounts.roles import Role
from estate.billing.choices import PaymentMethod, ReversalKind, ReversalStatus
from estate.billing.models import Payment, Remark, Reversal, Statement
from estate.core.conflicts import Conflict
from estate.core.money import to_cents
from estate.invoicing.tasks import reversal_approved as red_letter_if_invoiced
from estate.language import guard
from estate.language.choices import Channel
from estate.messaging.household_events import payment_received
from estate.workorders import actions as work_orders
from estate.workorders.choices import EventChannel, Kind


class IdempotencyConflict(Exception):
    """The key was used before for a different request."""


def request_digest(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def receive_payment(
    statement: Statement,
    *,
    amount: Decimal,
    method: str,
    by: Any,
    reference: str = "",
    as_prepayment: bool = False,
    remark: str = "",
    idempotency_key: str | None = None,
    digest: str = "",
) -> Payment:
    """Record money received for ``statement``: in part, in full, or (when recorded as a
    prepayment) more than is owed. A remark the owner made is kept with it."""
    if idempotency_key:
        earlier = _earlier(statement.office_id, idempotency_key, digest)
        if earlier is not None:
            return earlier
    amount = to_cents(Decimal(amount))
    errors: dict[str, str] = {}
    if amount <= 0:
        errors["amount"] = _("The amount must be more than zero.")
    if method not in PaymentMethod.values:
        errors["method"] = _("Choose how the owner paid.")
    elif method != PaymentMethod.CASH and not reference.strip():
        errors["reference"] = _("Write the transaction reference of a non-cash payment.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            locked = Statement.objects.select_for_update().get(pk=statement.pk)
            owed = locked.total - locked.paid
            if amount > owed and not as_prepayment:
                if owed <= 0:
                    raise ValidationError({"amount": _("This statement is paid in full.")})
                raise ValidationError(
                    {
                        "amount": _(
                            "%(amount)s yuan is more than the %(owed)s yuan owed; record the rest "
                            "as a prepayment if the owner wants to pay ahead."
                        )
                        % {"amount": amount, "owed": owed}
                    }
                )
            payment = Payment.objects.create(
                office_id=locked.office_id,
                statement=locked,
                amount=amount,
                method=method,
                reference=reference.strip()[:60],
                is_prepayment=amount > owed,
                receipt_number=uuid.uuid4().hex,
                received_by=by,
                received_at=timezone.now(),
                idempotency_key=idempotency_key or None,
                request_digest=digest,
            )
            payment.receipt_number = f"{locked.number.split('-')[0]}-R{payment.pk:08d}"
            payment.save(update_fields=["receipt_number"])
            Statement.objects.filter(pk=locked.pk).update(paid=F("paid") + amount)
            if remark.strip():
                Remark.objects.create(
                    office_id=locked.office_id, statement=locked, text=remark.strip(), taken_by=by
                )
            payment_received(payment)
    except IntegrityError:
        # The same key raced in from another request and won; answer as it was answered.
        if idempotency_key:
            earlier = _earlier(statement.office_id, idempotency_key, digest)
            if earlier is not None:
                return earlier
        raise
    statement.refresh_from_db()
    return payment


def _earlier(office_id: int, key: str, digest: str) -> Payment | None:
    earlier = Payment.objects.filter(office_id=office_id, idempotency_key=key).first()
    if earlier is not None and earlier.request_digest != digest:
        raise IdempotencyConflict(key)
    return earlier


def reversible(payment: Payment) -> Decimal:
    """What is left of a payment to void or refund (requests still waiting count as taken)."""
    taken = sum(
        (
            r.amount
            for r in payment.reversals.all()
            if r.status in (ReversalStatus.REQUESTED, ReversalStatus.APPROVED)
        ),
        Decimal("0.00"),
    )
    return payment.amount - taken


def request_reversal(
    payment: Payment, *, kind: str, amount: Decimal | None, reason: str, by: Any
) -> Reversal:
    """Ask to void (the whole payment) or refund (part or all of it); the head approves."""
    if kind not in ReversalKind.values:
        raise ValidationError({"kind": _("Choose void or refund.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        left = reversible(payment)
        amount = left if kind == ReversalKind.VOID else to_cents(Decimal(amount or 0))
        if kind == ReversalKind.VOID and left != payment.amount:
            raise ValidationError(
                {"kind": _("Part of this payment is refunded or waiting; refund the rest instead.")}
            )
        if amount <= 0 or amount > left:
            raise ValidationError(
                {"amount": _("Between 0.01 and %(left)s yuan can be refunded.") % {"left": left}}
            )
        return Reversal.objects.create(
            office_id=payment.office_id,
            payment=payment,
            kind=kind,
            amount=amount,
            reason=reason.strip()[:200],
            requested_by=by,
        )


def decide_reversal(reversal: Reversal, *, approve: bool, by: Any) -> Reversal:
    """The head approves (the statement owes the amount again) or rejects a reversal, once.
    Four eyes: never the person who asked for it, nor the one who took the payment."""
    if getattr(by, "pk", None) in (reversal.requested_by_id, reversal.payment.received_by_id):
        raise ValidationError(
            _(
                "Someone other than the person who asked for this, and the one who took the "
                "payment, must decide it."
            )
        )
    status = ReversalStatus.APPROVED if approve else ReversalStatus.REJECTED
    with transaction.atomic():
        statement_id = reversal.payment.statement_id
        Statement.objects.select_for_update().get(pk=statement_id)
        if not Reversal.objects.filter(pk=reversal.pk, status=ReversalStatus.REQUESTED).update(
            status=status, decided_by=by, decided_at=timezone.now()
        ):
            raise Conflict(_("This request was decided already."))
        if approve:
            Statement.objects.filter(pk=statement_id).update(paid=F("paid") - reversal.amount)
            red_letter_if_invoiced(reversal)  # the invoice's red letter, after commit
    reversal.refresh_from_db()
    return reversal


def answer_remark(remark: Remark, *, answer: str, by: Any) -> Remark:
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer given.")})
    guard.enforce(office=remark.office_id, by=by, channel=Channel.REPLY, answer=answer)
    if not Remark.objects.filter(
        pk=remark.pk, answered_at__isnull=True, work_order__isnull=True
    ).update(answer=answer.strip(), answered_by=by, answered_at=timezone.now()):
        raise Conflict(_("This remark was answered or escalated already."))
    remark.refresh_from_db()
    return remark


def escalate_remark(remark: Remark, *, by: Any) -> Remark:
    """Hand the remark to the head as a complaint work order; from then on it is followed there."""
    statement = remark.statement
    with transaction.atomic():
        locked = Remark.objects.select_for_update().get(pk=remark.pk)
        if locked.answered_at is not None or locked.work_order_id is not None:
            raise Conflict(_("This remark was answered or escalated already."))
        heads = people_with_role(statement.office, Role.HEAD)
        order = work_orders.open_work_order(
            office=statement.office,
            by=by,
            channel=EventChannel.DESK,
            kind=Kind.COMPLAINT,
            description=_("Remark at payment of %(number)s: %(text)s")
            % {"number": statement.number, "text": locked.text},
            unit=statement.unit,
            # On the head's own queue, owed by the head, who is told at once (R-A6).
            assignee=heads[0] if heads else None,
            accountable=heads[0] if heads else None,
        )
        Remark.objects.filter(pk=locked.pk).update(work_order=order)
    remark.refresh_from_db()
    return remark
