"""The convenience service cart (便民服務車): what can be borrowed and is free now, lending at the
desk and taking it back. Never more out than the office has, even with two desks at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from estate.frontdesk.models import CartItem, Loan
from estate.properties.models import Office, Resident, Unit


def with_availability(office: Office) -> QuerySet[CartItem]:
    """The office's active items, each with ``out`` (lent now) and ``free`` (can be lent)."""
    return (
        CartItem.objects.filter(office=office, is_active=True)
        .annotate(out=Count("loans", filter=Q(loans__returned_at__isnull=True)))
        .annotate(free=F("quantity") - F("out"))
        .order_by("name")
    )


def lend(
    item: CartItem,
    *,
    by: Any,
    due_back: date,
    borrower: Resident | None = None,
    borrower_name: str = "",
    unit: Unit | None = None,
) -> Loan:
    name = borrower.name if borrower else borrower_name.strip()
    errors: dict[str, Any] = {}
    if not name:
        errors["borrower_name"] = _("Write who borrows it.")
    if due_back < timezone.localdate():
        errors["due_back"] = _("The day it is due back cannot be in the past.")
    if borrower is not None and borrower.office_id != item.office_id:
        errors["borrower_name"] = _("This resident belongs to another office.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = CartItem.objects.select_for_update().get(pk=item.pk)
        out = Loan.objects.filter(item=locked, returned_at__isnull=True).count()
        if out >= locked.quantity:
            raise ValidationError(
                {"item": _("Every %(item)s is lent out at the moment.") % {"item": locked.name}}
            )
        return Loan.objects.create(
            office_id=locked.office_id,
            item=locked,
            borrower=borrower,
            borrower_name=name[:60],
            unit=unit or (borrower.household.unit if borrower and borrower.household else None),
            lent_by=by,
            lent_at=timezone.now(),
            due_back=due_back,
        )


def take_back(loan: Loan, *, by: Any) -> Loan:
    if not Loan.objects.filter(pk=loan.pk, returned_at__isnull=True).update(
        returned_at=timezone.now(), returned_to=by
    ):
        raise ValidationError(_("This loan was returned already."))
    loan.refresh_from_db()
    return loan
