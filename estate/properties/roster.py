"""The roster file (住戶花名冊): one row per resident, or per unit without residents.

The same columns serve import and export, in CSV or XLSX. Headers may be written in
any of the three UI languages or as the English keys. Unit columns repeat on every
row of the unit and must agree; a unit may appear on several rows only for several
residents.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from estate.core.phones import PHONE_PATTERN, normalize_phone
from estate.core.tables import RowError, TableFileError
from estate.properties.choices import ContactPreference, HouseholdKind, UnitUse

MAX_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    required: bool = False


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
RESIDENT_KEYS = (
    "name",
    "phone",
    "phone_alt",
    "preferred_contact",
    "main_contact",
    "elderly",
    "disabled",
)


def _header_aliases() -> dict[str, str]:
    """Every accepted spelling of every header, folded, to its key."""
    aliases: dict[str, str] = {}
    for column in COLUMNS:
        aliases[_fold(column.key)] = column.key
        for language in ("zh-hant", "zh-hans", "en"):
            with override(language):
                aliases[_fold(str(column.label))] = column.key
    return aliases


def _fold(text: str) -> str:
    return "".join(str(text).split()).lower()


def _choice_aliases(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for value, label in choices:
        aliases[_fold(value)] = value
        for language in ("zh-hant", "zh-hans", "en"):
            with override(language):
                aliases[_fold(str(label))] = value
    return aliases


_TRUE = {"1", "y", "yes", "true", "是", "✓", "√", "x"}
_FALSE = {"0", "n", "no", "false", "否", ""}


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


@dataclass
class ParsedRoster:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_roster(table: list[list[Any]]) -> ParsedRoster:
    """Check every row and cell; return typed rows, or the full list of errors."""
    result = ParsedRoster()
    table = [row for row in table if any(_text(cell) for cell in row)] if table else []
    if not table:
        raise TableFileError(
            gettext("The file is empty: it needs a header row and at least one row.")
        )
    if len(table) - 1 > MAX_ROWS:
        raise TableFileError(gettext("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    keys = _map_header(table[0], result)
    if result.errors:
        return result
    uses = _choice_aliases(UnitUse.choices)
    kinds = _choice_aliases(HouseholdKind.choices)
    contacts = _choice_aliases(ContactPreference.choices)
    for index, raw in enumerate(table[1:], start=2):
        cells = {
            key: _text(raw[position]) if position < len(raw) else ""
            for position, key in keys.items()
        }
        raw_cells = {
            key: raw[position] if position < len(raw) else None for position, key in keys.items()
        }
        row = _parse_row(index, cells, raw_cells, uses, kinds, contacts, result.errors)
        if row is not None:
            result.rows.append(row)
    _check_consistency(result)
    return result


def _map_header(header: list[Any], result: ParsedRoster) -> dict[int, str]:
    aliases = _header_aliases()
    keys: dict[int, str] = {}
    for position, cell in enumerate(header):
        title = _text(cell)
        if not title:
            continue
        key = aliases.get(_fold(title))
        if key is None:
            result.errors.append(
                RowError(
                    1, title, gettext("Unknown column. Use the headers of the exported roster.")
                )
            )
        elif key in keys.values():
            result.errors.append(RowError(1, title, gettext("This column appears twice.")))
        else:
            keys[position] = key
    for column in COLUMNS:
        if column.required and column.key not in keys.values():
            result.errors.append(
                RowError(1, str(column.label), gettext("This required column is missing."))
            )
    return keys


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _parse_row(
    number: int,
    cells: dict[str, str],
    raw: dict[str, Any],
    uses: dict[str, str],
    kinds: dict[str, str],
    contacts: dict[str, str],
    errors: list[RowError],
) -> RosterRow | None:
    before = len(errors)

    def fail(key: str, message: str) -> None:
        errors.append(RowError(number, str(COLUMN_BY_KEY[key].label), message))

    address = cells.get("address", "").replace(" ", "")
    building_code, _sep, unit_number = address.partition("-")
    if not address:
        fail("address", gettext("Required."))
    elif not building_code or not unit_number or not (building_code + unit_number).isalnum():
        fail("address", gettext("Write the address as building-number, e.g. 3-1202."))

    floor: int | None = None
    if cells.get("floor"):
        try:
            floor = int(cells["floor"])
        except ValueError:
            fail("floor", gettext("Enter a whole number."))

    area = Decimal(0)
    try:
        area = Decimal(cells.get("area", ""))
        if not area.is_finite() or area <= 0 or area.as_tuple().exponent < -2:  # type: ignore[operator]
            raise InvalidOperation
        if area >= Decimal("10000000"):
            raise InvalidOperation
    except InvalidOperation:
        fail("area", gettext("Enter a positive area in m² with at most 2 decimals."))

    use = UnitUse.RESIDENCE.value
    if cells.get("use"):
        found = uses.get(_fold(cells["use"]))
        if found is None:
            fail("use", gettext("Unknown use: %(value)s") % {"value": cells["use"]})
        else:
            use = found

    household_kind: str | None = None
    if cells.get("household_kind"):
        household_kind = kinds.get(_fold(cells["household_kind"]))
        if household_kind is None:
            fail("household_kind", gettext("Write owner or tenant."))
    has_resident = any(
        cells.get(key)
        for key in RESIDENT_KEYS
        if key not in ("main_contact", "elderly", "disabled")
    )
    if has_resident and not cells.get("name"):
        fail("name", gettext("A resident needs a name."))
    if (
        (has_resident or cells.get("move_in") or cells.get("move_out"))
        and household_kind is None
        and not cells.get("household_kind")
    ):
        fail("household_kind", gettext("Required when the row has a household or resident."))

    move_in = _date(raw.get("move_in"), cells.get("move_in", ""), lambda m: fail("move_in", m))
    move_out = _date(raw.get("move_out"), cells.get("move_out", ""), lambda m: fail("move_out", m))
    if move_in and move_out and move_out < move_in:
        fail("move_out", gettext("The move-out date cannot be before the move-in date."))

    phones = {}
    for key in ("phone", "phone_alt"):
        phones[key] = normalize_phone(cells.get(key, ""))
        if phones[key] and not PHONE_PATTERN.match(phones[key]):
            fail(key, gettext("Enter a phone number of 5 to 20 digits."))

    preferred = ContactPreference.CALL.value
    if cells.get("preferred_contact"):
        found = contacts.get(_fold(cells["preferred_contact"]))
        if found is None:
            fail(
                "preferred_contact",
                gettext("Unknown contact method: %(value)s")
                % {"value": cells["preferred_contact"]},
            )
        else:
            preferred = found

    flags = {}
    for key in ("main_contact", "elderly", "disabled"):
        value = _fold(cells.get(key, ""))
        if value in _TRUE:
            flags[key] = True
        elif value in _FALSE:
            flags[key] = False
        else:
            flags[key] = False
            fail(key, gettext("Write yes or no."))

    if len(errors) > before:
        return None
    return RosterRow(
        number=number,
        building_code=building_code,
        unit_number=unit_number,
        address=f"{building_code}-{unit_number}",
        floor=floor,
        area=area,
        use=use,
        household_kind=household_kind,
        move_in=move_in,
        move_out=move_out,
        name=cells.get("name", ""),
        phone=phones["phone"],
        phone_alt=phones["phone_alt"],
        preferred_contact=preferred,
        main_contact=flags["main_contact"],
        elderly=flags["elderly"],
        disabled=flags["disabled"],
    )


def _date(raw: Any, text: str, fail: Any) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    fail(gettext("Write the date as YYYY-MM-DD."))
    return None


def _check_consistency(result: ParsedRoster) -> None:
    """A unit repeated on several rows must say the same about the unit; a person may not repeat."""
    first_of_unit: dict[str, RosterRow] = {}
    people: dict[tuple[str, str], int] = {}
    for row in result.rows:
        first = first_of_unit.setdefault(row.address, row)
        if first is not row and (first.area, first.floor, first.use) != (
            row.area,
            row.floor,
            row.use,
        ):
            result.errors.append(
                RowError(
                    row.number,
                    str(COLUMN_BY_KEY["address"].label),
                    gettext(
                        "Duplicate unit address %(address)s: row %(first)d gives other floor, area or use."
                    )
                    % {"address": row.address, "first": first.number},
                )
            )
        if first is not row and not row.name:
            result.errors.append(
                RowError(
                    row.number,
                    str(COLUMN_BY_KEY["address"].label),
                    gettext("Duplicate unit address %(address)s (first on row %(first)d).")
                    % {"address": row.address, "first": first.number},
                )
            )
        if row.name:
            key = (row.address, row.name)
            if key in people:
                result.errors.append(
                    RowError(
                        row.number,
                        str(COLUMN_BY_KEY["name"].label),
                        gettext("%(name)s of %(address)s is already on row %(first)d.")
                        % {"name": row.name, "address": row.address, "first": people[key]},
                    )
                )
            else:
                people[key] = row.number
    result.errors.sort(key=lambda error: error.row)


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
