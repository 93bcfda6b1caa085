"""One importer for every spreadsheet (roster, meter readings, equipment register, …).

A table from :func:`estate.core.tables.read_table` is read like this:

1. The first non-empty row is the header. Each header cell is matched, width- and case-folded,
   against every column's key, its label in each UI language and its extra aliases. Unknown
   columns are refused or ignored (``unknown_columns``); a column twice or a required column
   missing is refused.
2. Every other non-empty row is bound to one Django form (one form class per import kind,
   fields named by the column keys; see :mod:`estate.core.import_fields` for the date, number,
   choice and yes/no fields all imports share). Its errors become :class:`RowError` rows: the
   row as the sheet numbers it (the header of a plain sheet is row 1), the column's label in the
   user's language and the header as written in the file.
3. ``checks`` look across the valid rows (duplicates, rows that must agree) and yield
   :class:`Problem` s.
4. Only when nothing is wrong is ``save`` called with every row, inside one
   ``transaction.atomic()``: all or nothing. Otherwise :class:`ImportRefused` carries every
   error, sorted by row.

Example (the shape of the equipment register)::

    class EquipmentRow(forms.Form):
        code = SheetTextField()
        installed = SheetDateField(required=False)
        power = SheetDecimalField(required=False, min_value=0, decimal_places=2)

    EQUIPMENT = Importer(
        EquipmentRow,
        columns=(
            Column("code", _("Equipment code"), required=True, aliases=("設備編號",)),
            Column("installed", _("Installed on")),
            Column("power", _("Power (kW)")),
        ),
        checks=(unique("code", message=_("Equipment %(value)s is already on row %(first)d.")),),
    )

    def import_equipment(*, office, table):
        def save(rows):
            return [Equipment.objects.create(office=office, **row.data) for row in rows]

        return EQUIPMENT.run(table, save)  # raises ImportRefused; a view lists .errors
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from estate.core.import_fields import LANGUAGES, cell_text, fold
from estate.core.tables import RowError, TableFileError

MAX_ROWS = 20_000
UNKNOWN_COLUMN = _("Unknown column.")


@dataclass(frozen=True)
class Column:
    """A column of an import: ``key`` names the form field; ``label`` is shown in the user's
    language; ``aliases`` are further spellings accepted in the header (e.g. zh-Hans terms)."""

    key: str
    label: str | Promise
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass
class ImportRow:
    """One valid row: ``number`` as the sheet shows it, ``data`` the form's cleaned data."""

    number: int
    data: dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """A cross-row finding; ``key`` is a column key, or "" for the row as a whole."""

    row: int
    key: str
    message: str


type Check[R] = Callable[[list[R]], Iterable[Problem]]


@dataclass
class Parsed[R]:
    """The rows that passed their form, the errors so far, and each key's header in the file."""

    rows: list[R] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


class ImportRefused(Exception):
    """Nothing was imported; ``errors`` says what to fix, by row and column."""

    def __init__(self, errors: list[Any]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def _as_import_row(number: int, data: dict[str, Any]) -> Any:
    return ImportRow(number, data)


class Importer[R]:
    """Reads tables of one kind; see the module docstring. ``build`` turns a row number and the
    form's cleaned data into the row type the checks and ``save`` receive (default
    :class:`ImportRow`)."""

    def __init__(
        self,
        form: type[forms.Form],
        *,
        columns: Sequence[Column],
        build: Callable[[int, dict[str, Any]], R] = _as_import_row,
        checks: Sequence[Check[R]] = (),
        unknown_columns: Literal["refuse", "ignore"] = "refuse",
        unknown_column_message: str | Promise = UNKNOWN_COLUMN,
        max_rows: int = MAX_ROWS,
    ) -> None:
        self.form = form
        self.columns = tuple(columns)
        self.by_key = {column.key: column for column in self.columns}
        self.build = build
        self.checks = tuple(checks)
        self.unknown_columns = unknown_columns
        self.unknown_column_message = unknown_column_message
        self.max_rows = max_rows
        missing = set(self.by_key) - set(form.base_fields)
        if missing:
            raise TypeError(f"{form.__name__} has no field for the columns {sorted(missing)}")

    # Reading -----------------------------------------------------------------------------

    def parse(self, table: list[list[Any]], **form_kwargs: Any) -> Parsed[R]:
        """Check the header, every row with the form and the cross-row checks; never writes.
        An empty or oversized file raises TableFileError."""
        numbered = [
            (number, row)
            for number, row in enumerate(table or [], start=1)
            if any(cell_text(cell) for cell in row)
        ]
        if not numbered:
            raise TableFileError(
                gettext("The file is empty: it needs a header row and at least one row.")
            )
        if len(numbered) - 1 > self.max_rows:
            raise TableFileError(
                gettext("The file has more than %(max)d rows.") % {"max": self.max_rows}
            )
        parsed: Parsed[R] = Parsed()
        header_number, header = numbered[0]
        positions = self._map_header(header_number, header, parsed)
        if parsed.errors:
            return parsed
        # One form, rebound for each row: a fresh form deep-copies every field, which costs
        # more than the validation itself on a 20,000-row sheet.
        form = self.form(data={}, **form_kwargs)
        for number, raw in numbered[1:]:
            cells = {key: raw[i] if i < len(raw) else None for i, key in positions.items()}
            form.data = cells
            form._errors = None  # type: ignore[attr-defined]  # what Form.full_clean() checks to know it must run again
            if form.is_valid():
                parsed.rows.append(self.build(number, dict(form.cleaned_data)))
                continue
            for key, messages in form.errors.items():
                for message in messages:
                    parsed.errors.append(self._error(number, key, str(message), parsed.headers))
        self._run_checks(parsed, self.checks)
        return parsed

    def _map_header(self, number: int, header: list[Any], parsed: Parsed[R]) -> dict[int, str]:
        aliases = self._header_aliases()
        positions: dict[int, str] = {}
        for position, cell in enumerate(header):
            title = cell_text(cell)
            if not title:
                continue
            key = aliases.get(fold(title))
            if key is None:
                if self.unknown_columns == "refuse":
                    parsed.errors.append(
                        RowError(number, title, str(self.unknown_column_message), header=title)
                    )
            elif key in parsed.headers:
                parsed.errors.append(
                    RowError(number, title, gettext("This column appears twice."), header=title)
                )
            else:
                positions[position] = key
                parsed.headers[key] = title
        for column in self.columns:
            if column.required and column.key not in parsed.headers:
                parsed.errors.append(
                    RowError(number, str(column.label), gettext("This required column is missing."))
                )
        return positions

    def _header_aliases(self) -> dict[str, str]:
        aliases: dict[str, str] = {}
        for column in self.columns:
            spellings = [column.key, *column.aliases]
            for language in LANGUAGES:
                with override(language):
                    spellings.append(str(column.label))
            for spelling in spellings:
                aliases[fold(spelling)] = column.key
        return aliases

    def _error(self, number: int, key: str, message: str, headers: dict[str, str]) -> RowError:
        column = self.by_key.get(key) if key != NON_FIELD_ERRORS else None
        if column is None:
            return RowError(number, "", str(message))
        return RowError(number, str(column.label), str(message), header=headers.get(key, ""))

    def _run_checks(self, parsed: Parsed[R], checks: Iterable[Check[R]]) -> None:
        for check in checks:
            for problem in check(parsed.rows):
                parsed.errors.append(
                    self._error(problem.row, problem.key, problem.message, parsed.headers)
                )
        parsed.errors.sort(key=lambda error: error.row)

    # Writing -----------------------------------------------------------------------------

    def commit[T](
        self, parsed: Parsed[R], save: Callable[[list[R]], T], *, checks: Sequence[Check[R]] = ()
    ) -> T:
        """``save`` every row in one transaction, or raise ImportRefused with every error
        (those of ``parsed`` and of further ``checks``, e.g. against the database)."""
        self._run_checks(parsed, checks)
        if parsed.errors:
            raise ImportRefused(parsed.errors)
        with transaction.atomic():
            return save(parsed.rows)

    def run[T](
        self,
        table: list[list[Any]],
        save: Callable[[list[R]], T],
        *,
        checks: Sequence[Check[R]] = (),
        **form_kwargs: Any,
    ) -> T:
        """``parse`` then ``commit``."""
        return self.commit(self.parse(table, **form_kwargs), save, checks=checks)


def unique(*keys: str, message: str | Promise, report: str | None = None) -> Check[Any]:
    """A check that no two rows share the values of ``keys`` (rows are ImportRow or have the keys
    as attributes). ``message`` may use %(value)s and %(first)d (the first row with them);
    the problem is reported on column ``report`` (default: the last key)."""

    def check(rows: list[Any]) -> Iterator[Problem]:
        first: dict[tuple[Any, ...], int] = {}
        for row in rows:
            data = row.data if isinstance(row, ImportRow) else vars(row)
            value = tuple(data[key] for key in keys)
            if value in first:
                yield Problem(
                    row.number,
                    report or keys[-1],
                    str(message)
                    % {"value": " ".join(str(v) for v in value), "first": first[value]},
                )
            else:
                first[value] = row.number

    return check
