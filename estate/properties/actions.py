"""The only code that writes to the property registry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from estate.core.importer import ImportRefused, Problem
from estate.core.phones import whole_number
from estate.properties.models import (
    Building,
    DataExport,
    Household,
    Office,
    PhoneReveal,
    Resident,
    Unit,
)
from estate.properties.roster import ROSTER, ParsedRoster, RosterRow


def record_phone_reveal(
    *, resident: Resident, viewer: Any, channel: str, work_order: Any = None
) -> PhoneReveal:
    """Audit one look at a resident's full phone number (and the order it was for, if any)."""
    return PhoneReveal.objects.create(
        office_id=resident.office_id,
        resident=resident,
        viewer=viewer,
        channel=channel,
        work_order=work_order,
    )


def set_bill_due_days(*, office: Office, days: int, by: Any) -> Office:
    """How many days after issue the office's statements are due (from its next run on);
    ValidationError on ``bill_due_days`` outside 1 to 365."""
    field = Office._meta.get_field("bill_due_days")
    with transaction.atomic():
        locked = Office.objects.select_for_update().get(pk=office.pk)
        try:
            locked.bill_due_days = field.clean(days, locked)
        except ValidationError as refused:
            raise ValidationError({"bill_due_days": refused.messages}) from None
        locked.save(update_fields=["bill_due_days"])
    office.bill_due_days = locked.bill_due_days
    return locked


def record_export(*, office: Any, by: Any, what: str, rows: int) -> DataExport:
    """Audit one download of a file with personal data in it."""
    return DataExport.objects.create(office=office, by=by, what=what, rows=rows)


def residents_by_number(text: str, *, viewer: Any, channel: str = "search") -> list[int]:
    """The ids of the residents the viewer may see whose number is ``text`` (a whole number
    only); each match is recorded like a reveal, for a search by number tells whose it is."""
    number = whole_number(text)
    if number is None:
        return []
    found = list(Resident.objects.visible_to(viewer).filter(Q(phone=number) | Q(phone_alt=number)))
    PhoneReveal.objects.bulk_create(
        PhoneReveal(office_id=r.office_id, resident=r, viewer=viewer, channel=channel)
        for r in found
    )
    return [r.pk for r in found]


@dataclass
class ImportSummary:
    units_created: int = 0
    units_updated: int = 0
    households_created: int = 0
    households_updated: int = 0
    residents_created: int = 0
    residents_updated: int = 0


# The roster's refusal is the importer's: every import is refused the same way.
RosterRejected = ImportRefused


def import_roster(*, office: Office, roster: ParsedRoster) -> ImportSummary:
    """Create or update units, households and residents of ``office`` from a parsed roster.

    All or nothing: any error in the file or against the registry (an unknown building)
    rejects the whole file. Re-importing the same file changes nothing: units match by
    address, households by unit, kind and move-in date, residents by household and name.
    Nothing is deleted.
    """
    buildings = {b.code: b for b in Building.objects.filter(office=office)}

    def known_buildings(rows: list[RosterRow]) -> Iterator[Problem]:
        for row in rows:
            if row.building_code not in buildings:
                yield Problem(
                    row.number,
                    "address",
                    gettext("Unknown building %(code)s in %(office)s.")
                    % {"code": row.building_code, "office": office.name},
                )

    def save(rows: list[RosterRow]) -> ImportSummary:
        summary = ImportSummary()
        # The office's registry is loaded once and matched in memory: one query per table,
        # not per row, so a 4,000-row roster imports in about a second.
        units = {u.address: u for u in Unit.objects.select_for_update().filter(office=office)}
        households = {
            (h.unit_id, h.kind, h.move_in): h for h in Household.objects.filter(office=office)
        }
        residents = {
            (r.household_id, r.name): r
            for r in Resident.objects.filter(office=office, household__isnull=False)
        }
        for row in rows:
            unit = _upsert_unit(office, buildings[row.building_code], units, row, summary)
            if row.household_kind is None:
                continue
            household = _upsert_household(office, unit, households, row, summary)
            if row.name:
                _upsert_resident(office, household, residents, row, summary)
        return summary

    return ROSTER.commit(roster, save, checks=[known_buildings])


def _upsert_unit(
    office: Office,
    building: Building,
    units: dict[str, Unit],
    row: RosterRow,
    summary: ImportSummary,
) -> Unit:
    unit = units.get(row.address)
    if unit is None:
        unit = Unit(office=office, building=building, number=row.unit_number)
        unit.floor, unit.area, unit.use = row.floor, row.area, row.use
        unit.save()
        units[row.address] = unit
        summary.units_created += 1
    elif (unit.floor, unit.area, unit.use) != (row.floor, row.area, row.use):
        unit.floor, unit.area, unit.use = row.floor, row.area, row.use
        unit.save(update_fields=["floor", "area", "use"])
        summary.units_updated += 1
    return unit


def _upsert_household(
    office: Office,
    unit: Unit,
    households: dict[tuple[int, str, date | None], Household],
    row: RosterRow,
    summary: ImportSummary,
) -> Household:
    assert row.household_kind is not None
    key = (unit.pk, row.household_kind, row.move_in)
    household = households.get(key)
    if household is None:
        household = Household.objects.create(
            office=office,
            unit=unit,
            kind=row.household_kind,
            move_in=row.move_in,
            move_out=row.move_out,
        )
        households[key] = household
        summary.households_created += 1
    elif household.move_out != row.move_out:
        household.move_out = row.move_out
        household.save(update_fields=["move_out"])
        summary.households_updated += 1
    return household


def _upsert_resident(
    office: Office,
    household: Household,
    residents: dict[tuple[int | None, str], Resident],
    row: RosterRow,
    summary: ImportSummary,
) -> None:
    values = {
        "phone": row.phone,
        "phone_alt": row.phone_alt,
        "preferred_contact": row.preferred_contact,
        "is_primary": row.main_contact,
        "is_elderly": row.elderly,
        "is_disabled": row.disabled,
    }
    resident = residents.get((household.pk, row.name))
    if resident is None:
        residents[(household.pk, row.name)] = Resident.objects.create(
            office=office, household=household, name=row.name, **values
        )
        summary.residents_created += 1
        return
    changed = [key for key, value in values.items() if getattr(resident, key) != value]
    if changed:
        for key in changed:
            setattr(resident, key, values[key])
        resident.save(update_fields=changed)
        summary.residents_updated += 1
