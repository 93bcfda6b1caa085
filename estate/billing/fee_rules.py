"""Late-fee rules and their waivers, and the office's developer: the named actions that write
them (the bill run applies the rules, ``run_rules``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.billing.choices import CapKind, LateFeeBasis, LineKind
from estate.billing.models import Developer, FeeItem, LateFeeRule, Statement, StatementLine
from estate.core.conflicts import Conflict
from estate.properties.models import Office


def _decimal(value: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        errors[field] = _("Write a number.")
        return None


def save_late_fee_rule(
    *,
    office: Office,
    fee_item: FeeItem,
    basis: str,
    rate: Any,
    grace_days: int,
    cap_kind: str,
    cap: Any,
    contract_reference: str,
    is_active: bool = True,
) -> LateFeeRule:
    """Create or change the fee item's late-fee rule. Refused without the contract's clause:
    an office may only charge a late fee its property service contract provides."""
    errors: dict[str, str] = {}
    if fee_item.office_id != office.pk:
        errors["fee_item"] = _("Choose a fee item of this office.")
    if basis not in LateFeeBasis.values:
        errors["basis"] = _("Choose per day or per month.")
    rate_value = _decimal(rate, "rate", errors)
    if rate_value is not None and not (0 < rate_value <= 100):
        errors["rate"] = _("The rate must be more than 0 and at most 100.")
    elif rate_value is None and "rate" not in errors:
        errors["rate"] = _("Write the rate.")
    if grace_days is None or grace_days < 0:
        errors["grace_days"] = _("Grace days cannot be negative.")
    if cap_kind not in CapKind.values:
        errors["cap_kind"] = _("Choose how the late fee is capped.")
    cap_value = _decimal(cap, "cap", errors)
    if cap_kind != CapKind.NONE and (cap_value is None or cap_value <= 0) and "cap" not in errors:
        errors["cap"] = _("Write the cap (more than zero).")
    if not contract_reference.strip():
        errors["contract_reference"] = _(
            "Name the clause of the property service contract that provides the late fee; "
            "without one no late fee may be charged."
        )
    if errors or rate_value is None:
        raise ValidationError(errors)
    with transaction.atomic():
        rule, _created = LateFeeRule.objects.update_or_create(
            fee_item=fee_item,
            defaults={
                "office": office, "basis": basis, "rate": rate_value, "grace_days": grace_days,
                "cap_kind": cap_kind, "cap": cap_value if cap_kind != CapKind.NONE else None,
                "contract_reference": contract_reference.strip()[:200], "is_active": is_active,
            },
        )  # fmt: skip
    return rule


def waive_late_fee(line: StatementLine, *, reason: str, by: Any) -> StatementLine:
    """The head waives a late fee, saying why: a WAIVER line negates it, so the statement's
    total goes down by the fee and what was paid stays as it was."""
    statement = line.statement
    if not scope_for(by).can(Capability.APPROVE_REFUNDS, statement.office_id):
        raise PermissionDenied(_("Only the office head may waive a late fee."))
    if line.kind != LineKind.LATE_FEE:
        raise ValidationError({"line": _("Only a late fee can be waived.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for waiving the late fee.")})
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if StatementLine.objects.filter(waives=line).exists():
            raise Conflict(_("This late fee was waived already."))
        waiver = StatementLine.objects.create(
            statement=locked,
            kind=LineKind.WAIVER,
            fee_item_id=line.fee_item_id,
            description=_("Late fee waived"),
            basis=reason.strip()[:200],
            reason=reason.strip()[:200],
            amount=-line.amount,
            added_by=by,
            waives=line,
            source_id=line.source_id,
        )
        Statement.objects.filter(pk=locked.pk).update(total=F("total") - line.amount)
    return waiver


def set_developer(*, office: Office, name: str, contact: str = "") -> Developer | None:
    """Name the developer who pays for units not yet sold or delivered (blank: none)."""
    with transaction.atomic():
        if not name.strip():
            Developer.objects.filter(office=office).delete()
            return None
        developer, _created = Developer.objects.update_or_create(
            office=office, defaults={"name": name.strip()[:60], "contact": contact.strip()[:100]}
        )
    return developer
