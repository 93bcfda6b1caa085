"""Deposits (押金): received with a receipt, held, refunded (in full or less deductions, each
with its reason) once the head approves, the head being someone other than who asked. Never a
statement line, never in the collection rate."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.billing.choices import DepositPurpose, DepositStatus, PaymentMethod, RefundStatus
from estate.billing.models import Deposit, DepositDeduction, DepositRefund
from estate.core.conflicts import Conflict
from estate.core.money import to_cents
from estate.properties.models import Household, Unit


def _amount(value: Any) -> Decimal | None:
    try:
        return to_cents(Decimal(str(value)))
    except InvalidOperation:
        return None


def receive_deposit(
    *,
    unit: Unit,
    household: Household | None,
    payer: str,
    purpose: str,
    amount: Any,
    method: str,
    by: Any,
    reference: str = "",
) -> Deposit:
    errors: dict[str, str] = {}
    money = _amount(amount)
    if money is None or money <= 0:
        errors["amount"] = _("The amount must be more than zero.")
    if purpose not in DepositPurpose.values:
        errors["purpose"] = _("Choose what the deposit is for.")
    if method not in PaymentMethod.values:
        errors["method"] = _("Choose how it was paid.")
    elif method != PaymentMethod.CASH and not reference.strip():
        errors["reference"] = _("Write the transaction reference of a non-cash payment.")
    if not payer.strip():
        errors["payer"] = _("Write who paid the deposit.")
    if household is not None and household.unit_id != unit.pk:
        errors["household"] = _("The household does not live in this unit.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        deposit = Deposit.objects.create(
            office_id=unit.office_id, unit=unit, household=household, payer=payer.strip()[:60],
            purpose=purpose, amount=money, method=method, reference=reference.strip()[:60],
            receipt_number=uuid.uuid4().hex, received_by=by, received_at=timezone.now(),
        )  # fmt: skip
        deposit.receipt_number = f"{unit.office.code}-D{deposit.pk:08d}"
        deposit.save(update_fields=["receipt_number"])
    return deposit


def request_deposit_refund(
    deposit: Deposit, *, deductions: Sequence[tuple[Any, str]], by: Any
) -> DepositRefund:
    """Ask to refund the deposit less ``deductions`` ((amount, reason) pairs, each with its
    reason); the head approves."""
    parsed: list[tuple[Decimal, str]] = []
    for number, (value, reason) in enumerate(deductions, start=1):
        money = _amount(value)
        if money is None or money <= 0:
            raise ValidationError(
                {"deductions": _("Deduction %(n)d: the amount must be more than zero.")
                 % {"n": number}}
            )  # fmt: skip
        if not reason.strip():
            raise ValidationError(
                {"deductions": _("Deduction %(n)d: give the reason.") % {"n": number}}
            )
        parsed.append((money, reason.strip()[:200]))
    with transaction.atomic():
        locked = Deposit.objects.select_for_update().get(pk=deposit.pk)
        if locked.status != DepositStatus.HELD:
            raise Conflict(_("This deposit is not held: its refund is waiting or done."))
        deducted = sum((money for money, _reason in parsed), Decimal("0.00"))
        if deducted > locked.amount:
            raise ValidationError(
                {"deductions": _("The deductions (%(d)s yuan) are more than the deposit (%(a)s).")
                 % {"d": deducted, "a": locked.amount}}
            )  # fmt: skip
        refund = DepositRefund.objects.create(
            office_id=locked.office_id, deposit=locked, amount=locked.amount - deducted,
            requested_by=by, requested_at=timezone.now(),
        )  # fmt: skip
        DepositDeduction.objects.bulk_create(
            DepositDeduction(refund=refund, amount=money, reason=reason) for money, reason in parsed
        )
        Deposit.objects.filter(pk=locked.pk).update(status=DepositStatus.REFUND_REQUESTED)
    deposit.refresh_from_db()
    return refund


def decide_deposit_refund(refund: DepositRefund, *, approve: bool, by: Any) -> DepositRefund:
    """The head approves (the money is paid out now) or rejects (the deposit is held again).
    Four eyes: never the person who asked for the refund."""
    if not scope_for(by).can(Capability.APPROVE_REFUNDS, refund.office_id):
        raise PermissionDenied(_("Only the office head may approve a deposit's refund."))
    if getattr(by, "pk", None) == refund.requested_by_id:
        raise ValidationError(_("Someone other than the person who asked for this must decide it."))
    now = timezone.now()
    with transaction.atomic():
        Deposit.objects.select_for_update().get(pk=refund.deposit_id)
        if not DepositRefund.objects.filter(pk=refund.pk, status=RefundStatus.REQUESTED).update(
            status=RefundStatus.APPROVED if approve else RefundStatus.REJECTED,
            decided_by=by,
            decided_at=now,
            refunded_at=now if approve else None,
        ):
            raise Conflict(_("This request was decided already."))
        Deposit.objects.filter(pk=refund.deposit_id).update(
            status=DepositStatus.REFUNDED if approve else DepositStatus.HELD
        )
    refund.refresh_from_db()
    return refund
