"""The roster file (住戶花名冊): one row per resident, or per unit without residents.

The same columns serve import and export, in CSV or XLSX. Headers may be written in
any of the three UI languages or as the English keys. Unit columns repeat on every
row of the unit and must agree; a unit may appear on several rows only for several
residents.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from estate.core.import_fields import (
    SheetBooleanField,
    SheetChoiceField,
    SheetDateField,
    SheetDecimalField,
    SheetIntegerField,
    SheetTextField,
    cell_text,
)
from estate.core.importer import MAX_ROWS, Column, Importer, Parsed, Problem
from estate.core.phones import PHONE_PATTERN, normalize_phone
from estate.properties.choices import ContactPreference, HouseholdKind, UnitUse

__all__ = ["COLUMNS", "COLUMN_BY_KEY", "MAX_ROWS", "ParsedRoster", "RosterRow", "parse_roster"]

COLUMNS: tuple[Column, ...] = (
    Column("address", _("Unit address"), required=True),
    Column("floor", _("Floor")),
    Column("area", _("Floor area (m²)"), required=True),
    Column("use", _("Use")),
    Column("household_kind", _("Owner or tenant")),
    Column("move_in", _("Move-in date")),
    Column("move_out", _("Move-out date")),
    Column("name", _("Resident name")),
    Column("phone", _("Phone")),
    Column("phone_alt", _("Other phone")),
    Column("preferred_contact", _("Preferred contact")),
    Column("main_contact", _("Main contact")),
    Column("elderly", _("Elderly")),
    Column("disabled", _("Disabled")),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
# A row with any of these filled in describes a resident (the yes/no flags alone do not).
RESIDENT_KEYS = ("name", "phone", "phone_alt", "preferred_contact")

_AREA = _("Enter a positive area in m² with at most 2 decimals.")


class RosterRowForm(forms.Form):
    """One row of the roster file."""

    address = SheetTextField(error_messages={"required": _("Required.")})
    floor = SheetIntegerField(required=False)
    area = SheetDecimalField(
        max_digits=9,  # below 10,000,000 m²
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={
            code: _AREA
            for code in (
                "required",
                "invalid",
                "min_value",
                "max_digits",
                "max_decimal_places",
                "max_whole_digits",
            )
        },
    )
    use = SheetChoiceField(
        choices=UnitUse.choices,
        empty_value=UnitUse.RESIDENCE.value,
        required=False,
        error_messages={"invalid_choice": _("Unknown use: %(value)s")},
    )
    household_kind = SheetChoiceField(
        choices=HouseholdKind.choices,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Write owner or tenant.")},
    )
    move_in = SheetDateField(required=False)
    move_out = SheetDateField(required=False)
    name = SheetTextField(required=False)
    phone = SheetTextField(required=False)
    phone_alt = SheetTextField(required=False)
    preferred_contact = SheetChoiceField(
        choices=ContactPreference.choices,
        empty_value=ContactPreference.CALL.value,
        required=False,
        error_messages={"invalid_choice": _("Unknown contact method: %(value)s")},
    )
    main_contact = SheetBooleanField()
    elderly = SheetBooleanField()
    disabled = SheetBooleanField()

    def clean_address(self) -> str:
        address = self.cleaned_data["address"].replace(" ", "")
        building_code, _sep, unit_number = address.partition("-")
        if not building_code or not unit_number or not (building_code + unit_number).isalnum():
            raise forms.ValidationError(
                gettext("Write the address as building-number, e.g. 3-1202.")
            )
        return address

    def _phone(self, key: str) -> str:
        phone = normalize_phone(self.cleaned_data[key])
        if phone and not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(gettext("Enter a phone number of 5 to 20 digits."))
        return phone

    def clean_phone(self) -> str:
        return self._phone("phone")

    def clean_phone_alt(self) -> str:
        return self._phone("phone_alt")

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        # What was written, not what it defaults to: an empty contact column means no resident.
        written = {key: cell_text(self.data.get(key)) for key in self.fields}
        has_resident = any(written[key] for key in RESIDENT_KEYS)
        if has_resident and not written["name"]:
            self.add_error("name", gettext("A resident needs a name."))
        if (has_resident or written["move_in"] or written["move_out"]) and not written[
            "household_kind"
        ]:
            self.add_error(
                "household_kind", gettext("Required when the row has a household or resident.")
            )
        move_in, move_out = data.get("move_in"), data.get("move_out")
        if move_in and move_out and move_out < move_in:
            self.add_error(
                "move_out", gettext("The move-out date cannot be before the move-in date.")
            )
        return data


@dataclass
class RosterRow:
    """One parsed, typed row; ``number`` is the row in the file (the header is row 1)."""

    number: int
    building_code: str
    unit_number: str
    address: str
    floor: int | None
    area: Decimal
    use: str
    household_kind: str | None
    move_in: date | None
    move_out: date | None
    name: str
    phone: str
    phone_alt: str
    preferred_contact: str
    main_contact: bool
    elderly: bool
    disabled: bool

    @classmethod
    def from_form(cls, number: int, data: dict[str, Any]) -> RosterRow:
        building_code, _sep, unit_number = data["address"].partition("-")
        return cls(number=number, building_code=building_code, unit_number=unit_number, **data)


ParsedRoster = Parsed[RosterRow]


def _check_consistency(rows: list[RosterRow]) -> Iterator[Problem]:
    """A unit repeated on several rows must say the same about the unit; a person may not repeat."""
    first_of_unit: dict[str, RosterRow] = {}
    people: dict[tuple[str, str], int] = {}
    for row in rows:
        first = first_of_unit.setdefault(row.address, row)
        if first is not row and (first.area, first.floor, first.use) != (
            row.area,
            row.floor,
            row.use,
        ):
            yield Problem(
                row.number,
                "address",
                gettext(
                    "Duplicate unit address %(address)s: row %(first)d gives other floor, area or use."
                )
                % {"address": row.address, "first": first.number},
            )
        if first is not row and not row.name:
            yield Problem(
                row.number,
                "address",
                gettext("Duplicate unit address %(address)s (first on row %(first)d).")
                % {"address": row.address, "first": first.number},
            )
        if row.name:
            key = (row.address, row.name)
            if key in people:
                yield Problem(
                    row.number,
                    "name",
                    gettext("%(name)s of %(address)s is already on row %(first)d.")
                    % {"name": row.name, "address": row.address, "first": people[key]},
                )
            else:
                people[key] = row.number


ROSTER = Importer(
    RosterRowForm,
    columns=COLUMNS,
    build=RosterRow.from_form,
    checks=(_check_consistency,),
    unknown_column_message=_("Unknown column. Use the headers of the exported roster."),
)


def parse_roster(table: list[list[Any]]) -> ParsedRoster:
    """Check every row and cell; return typed rows, or the full list of errors."""
    return ROSTER.parse(table)


def export_rows(residents_and_units: Iterable[tuple[Any, Any, Any]]) -> Iterator[list[Any]]:
    """Header (in the active language) and one row per (unit, household, resident) triple."""
    yield [str(column.label) for column in COLUMNS]
    for unit, household, resident in residents_and_units:
        yield [
            unit.address,
            unit.floor if unit.floor is not None else "",
            f"{unit.area:.2f}",
            unit.get_use_display(),
            household.get_kind_display() if household else "",
            household.move_in.isoformat() if household and household.move_in else "",
            household.move_out.isoformat() if household and household.move_out else "",
            resident.name if resident else "",
            resident.phone if resident else "",
            resident.phone_alt if resident else "",
            resident.get_preferred_contact_display() if resident else "",
            _yes_no(resident.is_primary) if resident else "",
            _yes_no(resident.is_elderly) if resident else "",
            _yes_no(resident.is_disabled) if resident else "",
        ]


def _yes_no(flag: bool) -> str:
    return gettext("yes") if flag else gettext("no")
