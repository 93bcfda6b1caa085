"""The materials used on an order (用料): recorded from the office's list with a quantity, and
removed again when recorded by mistake. The only code that writes ``MaterialUse``; each line
and each removal is a step on the order's timeline (without a status move)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from estate.workorders import policy
from estate.workorders.choices import Action
from estate.workorders.models import Material, MaterialUse, WorkOrder
from estate.workorders.transitions import TransitionRefused, record

# Ten digits with two places, as the column keeps them.
MAX_QUANTITY = Decimal("99999999.99")


def _locked(order: WorkOrder, user: Any, action: str) -> WorkOrder:
    """The order's row, locked against a concurrent close, and refused unless ``user`` may
    record its materials now (``TransitionRefused`` when its status no longer allows it)."""
    current = WorkOrder.objects.select_for_update().get(pk=order.pk)
    if not policy.may(user, action, current):
        raise PermissionDenied
    if not policy.may_record_materials(user, current):
        raise TransitionRefused(current, action)
    return current


def _quantity(value: Any) -> Decimal:
    try:
        quantity = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"quantity": _("Quantity: give a number, such as 2 or 1.5.")}
        ) from None
    if not quantity.is_finite() or quantity <= 0:
        raise ValidationError({"quantity": _("Quantity: it must be more than zero.")})
    if quantity > MAX_QUANTITY or quantity != quantity.quantize(Decimal("0.01")):
        raise ValidationError(
            {"quantity": _("Quantity: at most 99999999.99, with two decimal places.")}
        )
    return quantity


def record_material(
    order: WorkOrder, *, material: Material, quantity: Any, by: Any, channel: str
) -> MaterialUse:
    """Record ``quantity`` of ``material`` (an active one of the order's office) as used."""
    if material is None:
        raise ValidationError({"material": _("Material: choose one from the list.")})
    if material.office_id != order.office_id:
        raise ValidationError({"material": _("Material: this material belongs to another office.")})
    if not material.is_active:
        raise ValidationError({"material": _("Material: this material is no longer in use.")})
    quantity = _quantity(quantity)
    with transaction.atomic():
        order = _locked(order, by, Action.USE_MATERIAL)
        line = MaterialUse.objects.create(
            work_order=order,
            material=material,
            quantity=quantity,
            recorded_by=by,
            recorded_at=timezone.now(),
        )
        record(
            order,
            Action.USE_MATERIAL,
            by=by,
            channel=channel,
            note=f"{material.name} × {quantity} {material.unit}",
            data={"material": material.pk, "quantity": str(quantity), "line": line.pk},
            at=line.recorded_at,
        )
    return line


def remove_material(line: MaterialUse, *, by: Any, channel: str) -> None:
    """Take back a line recorded by mistake; the timeline keeps that it was there."""
    with transaction.atomic():
        order = _locked(line.work_order, by, Action.REMOVE_MATERIAL)
        material = line.material
        note = f"{material.name} × {line.quantity} {material.unit}"
        data = {"material": material.pk, "quantity": str(line.quantity), "line": line.pk}
        deleted, _rows = MaterialUse.objects.filter(pk=line.pk, work_order=order).delete()
        if not deleted:  # removed by someone else meanwhile
            return
        record(order, Action.REMOVE_MATERIAL, by=by, channel=channel, note=note, data=data)
