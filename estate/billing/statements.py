"""Changing an issued statement: adjustments and credits with their reason, and the delivery
checklist. The total always stays the sum of the lines."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from estate.billing.choices import LineKind
from estate.billing.models import Statement, StatementLine
from estate.core.money import to_cents


def adjust(statement: Statement, *, amount: Decimal, reason: str, by: Any) -> StatementLine:
    """Add to (an adjustment) or take off (a credit, negative) a statement, saying why."""
    try:
        amount = to_cents(Decimal(amount))
    except InvalidOperation:
        raise ValidationError({"amount": _("Write an amount in yuan.")}) from None
    errors = {}
    if not amount:
        errors["amount"] = _("The amount cannot be zero.")
    if not reason.strip():
        errors["reason"] = _("Give the reason.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if locked.total + amount < 0:
            raise ValidationError(
                {"amount": _("A credit cannot be more than the statement's total.")}
            )
        line = StatementLine.objects.create(
            statement=locked,
            kind=LineKind.ADJUSTMENT if amount > 0 else LineKind.CREDIT,
            description=_("Adjustment") if amount > 0 else _("Credit"),
            basis=reason.strip()[:200],
            reason=reason.strip()[:200],
            amount=amount,
            added_by=by,
        )
        Statement.objects.filter(pk=locked.pk).update(total=F("total") + amount)
    statement.refresh_from_db()
    return line


def mark_delivered(statements: Iterable[Statement], *, by: Any, delivered: bool = True) -> int:
    """Tick (or untick) statements on the delivery checklist."""
    ids = [s.pk for s in statements]
    if delivered:
        return Statement.objects.filter(pk__in=ids, delivered_at__isnull=True).update(
            delivered_at=timezone.now(), delivered_by=by
        )
    return Statement.objects.filter(pk__in=ids).update(delivered_at=None, delivered_by=None)
