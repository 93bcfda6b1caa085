"""The vacancy discount (空置減免): an owner applies, staff inspect the unit and record what
they found, the head approves or rejects; approved, the bill run discounts the unit's fees from
its next statement until the discount ends."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.billing.choices import RequestChannel, VacancyStatus
from estate.billing.models import VacancyApplication
from estate.core.conflicts import Conflict
from estate.properties.models import Household, Unit


def apply_for_vacancy(
    *, unit: Unit, household: Household, vacant_from: date, channel: str, by: Any
) -> VacancyApplication:
    """Record an owner's application (at the desk, or by the owner in the portal)."""
    errors: dict[str, str] = {}
    if household.unit_id != unit.pk:
        errors["household"] = _("The household does not live in this unit.")
    if channel not in RequestChannel.values:
        errors["channel"] = _("Choose how the owner applied.")
    if vacant_from is None:
        errors["vacant_from"] = _("Give the day the unit is vacant from.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if VacancyApplication.objects.filter(
            unit=unit,
            status__in=[VacancyStatus.APPLIED, VacancyStatus.INSPECTED, VacancyStatus.APPROVED],
        ).exists():
            raise Conflict(_("This unit has an open vacancy application already."))
        return VacancyApplication.objects.create(
            office_id=unit.office_id,
            unit=unit,
            household=household,
            vacant_from=vacant_from,
            channel=channel,
            requested_by=by,
            requested_at=timezone.now(),
        )


def inspect_vacancy(
    application: VacancyApplication, *, vacant: bool, note: str, by: Any
) -> VacancyApplication:
    """Staff record what they found at the unit (vacant or not), once."""
    if not note.strip():
        raise ValidationError({"inspection_note": _("Write what was found at the unit.")})
    if not VacancyApplication.objects.filter(
        pk=application.pk, status=VacancyStatus.APPLIED
    ).update(
        status=VacancyStatus.INSPECTED,
        found_vacant=vacant,
        inspection_note=note.strip()[:200],
        inspected_by=by,
        inspected_at=timezone.now(),
    ):
        raise Conflict(_("This application was inspected already."))
    application.refresh_from_db()
    return application


def decide_vacancy(
    application: VacancyApplication, *, approve: bool, by: Any, note: str = ""
) -> VacancyApplication:
    """The head approves (the discount starts with the next statement) or rejects, once, after
    the inspection; a unit found lived in cannot be approved."""
    if not scope_for(by).can(Capability.APPROVE_REFUNDS, application.office_id):
        raise PermissionDenied(_("Only the office head may decide a vacancy discount."))
    if approve and application.found_vacant is False:
        raise ValidationError(_("The inspection found the unit lived in; it cannot be approved."))
    if not approve and not note.strip():
        raise ValidationError({"decision_note": _("Give the reason for rejecting it.")})
    if not VacancyApplication.objects.filter(
        pk=application.pk, status=VacancyStatus.INSPECTED
    ).update(
        status=VacancyStatus.APPROVED if approve else VacancyStatus.REJECTED,
        decided_by=by,
        decided_at=timezone.now(),
        decision_note=note.strip()[:200],
    ):
        raise Conflict(_("Only an inspected application waiting for the head can be decided."))
    application.refresh_from_db()
    return application


def end_vacancy(application: VacancyApplication, *, on: date, by: Any) -> VacancyApplication:
    """The unit is lived in again (or the owner withdraws): no discount for a quarter that
    begins on or after ``on``."""
    if not VacancyApplication.objects.filter(
        pk=application.pk, status=VacancyStatus.APPROVED
    ).update(status=VacancyStatus.ENDED, ends_on=on):
        raise Conflict(_("Only an approved discount can be ended."))
    application.refresh_from_db()
    return application
