"""The register file (設備台賬): one row per piece of equipment, the same columns for import and
export, in XLSX or CSV, so an exported file imports back unchanged. Headers may be written in
any UI language or as the English keys; the building is named as the office names it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.core.import_fields import (
    SheetChoiceField,
    SheetDateField,
    SheetIntegerField,
    SheetTextField,
)
from estate.core.importer import Column, Importer, ImportRow, Parsed, unique
from estate.equipment.choices import EquipmentKind

COLUMNS: tuple[Column, ...] = (
    Column("code", _("Equipment number"), required=True, aliases=("設備編號", "设备编号")),
    Column("name", _("Equipment name"), required=True, aliases=("設備名稱", "设备名称")),
    Column("kind", _("Equipment kind"), required=True, aliases=("設備類型", "设备类型")),
    Column("building", _("Building")),
    Column("floor", _("Floor")),
    Column("place", _("Place")),
    Column("maker", _("Maker")),
    Column("model", _("Model")),
    Column("serial", _("Serial number")),
    Column("installed_on", _("Installed on")),
    Column("warranty_until", _("Warranty until")),
    Column("service_life_years", _("Service life (years)")),
    Column("contractor", _("Maintenance contractor")),
    Column("contractor_phone", _("Contractor's phone")),
    Column("inspection_every_months", _("Legal inspection every (months)")),
    Column("last_inspected_on", _("Last legal inspection")),
    Column("next_inspection_on", _("Next legal inspection")),
    Column("notes", _("Notes")),
)


def _text(max_length: int, *, required: bool = False) -> SheetTextField:
    return SheetTextField(
        required=required, max_length=max_length, error_messages={"required": _("Required.")}
    )


class EquipmentRowForm(forms.Form):
    """One row of the register file."""

    code = _text(40, required=True)
    name = _text(100, required=True)
    kind = SheetChoiceField(
        choices=EquipmentKind.choices, error_messages={"required": _("Required.")}
    )
    building = _text(100)
    floor = _text(20)
    place = _text(100)
    maker = _text(100)
    model = _text(100)
    serial = _text(100)
    installed_on = SheetDateField(required=False)
    warranty_until = SheetDateField(required=False)
    service_life_years = SheetIntegerField(required=False, min_value=1, max_value=100)
    contractor = _text(100)
    contractor_phone = _text(30)
    inspection_every_months = SheetIntegerField(required=False, min_value=1, max_value=120)
    last_inspected_on = SheetDateField(required=False)
    next_inspection_on = SheetDateField(required=False)
    notes = SheetTextField(required=False)


EquipmentRow = ImportRow

REGISTER: Importer[ImportRow] = Importer(
    EquipmentRowForm,
    columns=COLUMNS,
    checks=(unique("code", message=_("Equipment %(value)s is already on row %(first)d.")),),
    unknown_column_message=_("Unknown column. Use the headers of the exported register."),
)


def parse_register(table: list[list[Any]]) -> Parsed[ImportRow]:
    """Check every row and cell; never writes."""
    return REGISTER.parse(table)


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


def export_rows(pieces: Iterable[Any]) -> Iterator[list[Any]]:
    """Header (in the active language) and one row per piece, in the columns' order."""
    yield [str(column.label) for column in COLUMNS]
    for piece in pieces:
        yield [
            piece.code,
            piece.name,
            piece.get_kind_display(),
            piece.building.name if piece.building else "",
            piece.floor,
            piece.place,
            piece.maker,
            piece.model,
            piece.serial,
            _day(piece.installed_on),
            _day(piece.warranty_until),
            piece.service_life_years or "",
            piece.contractor,
            piece.contractor_phone,
            piece.inspection_every_months or "",
            _day(piece.last_inspected_on),
            _day(piece.next_inspection_on),
            piece.notes,
        ]
