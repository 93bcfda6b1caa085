"""Tables in files: reading CSV (UTF-8 or GB18030, as Chinese Excel saves it) and XLSX, writing
both, and errors that name the row and column (imports are all or nothing)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext


@dataclass
class RowError:
    row: int
    column: str  # the column's label in the user's language, or "" for a whole-row problem
    message: str
    header: str = ""  # the column's header as written in the file, when known

    @property
    def column_shown(self) -> str:
        """The label, and the file's own header when the file names the column otherwise (an
        English key, zh-Hans), so the user finds it in the sheet."""
        if self.header and _folded(self.header) != _folded(self.column):
            return f"{self.column} ({self.header})" if self.column else self.header
        return self.column

    def __str__(self) -> str:
        where = gettext("Row %(row)d") % {"row": self.row}
        if self.column_shown:
            where += f" · {self.column_shown}"
        return f"{where}: {self.message}"


def _folded(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


class TableFileError(Exception):
    """The file as a whole cannot be read (wrong format, no header, too many rows)."""


def read_table(filename: str, content: bytes) -> list[list[Any]]:
    """Rows of cells from a CSV (UTF-8 or GB18030, as Chinese Excel saves it) or XLSX file."""
    lowered = filename.lower()
    if lowered.endswith(".xlsx"):
        return _read_xlsx(content)
    if lowered.endswith(".csv"):
        return _read_csv(content)
    raise TableFileError(gettext("Choose a .csv or .xlsx file."))


def _read_csv(content: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return [[_unguarded(cell) for cell in row] for row in csv.reader(io.StringIO(text))]
        except csv.Error as error:
            raise TableFileError(
                gettext("The CSV file is damaged: %(error)s") % {"error": error}
            ) from None
    raise TableFileError(gettext("The CSV file is neither UTF-8 nor GB18030 text."))


def _read_xlsx(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        # openpyxl raises many unrelated types for a damaged or non-XLSX file.
        raise TableFileError(gettext("The file is not a readable XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def write_csv(rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_guarded(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def _guarded(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (=, +, -, @ …) gets a leading apostrophe, which
    Excel and WPS show as plain text; numbers such as +8613812341234 or -5.00 stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _unguarded(cell: str) -> str:
    """The inverse on import: our own guard comes off, so an export imports unchanged."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell


def _formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _as_text(sheet: Any, value: str, cell_type: Any) -> Any:
    """What a resident typed (``=HYPERLINK(…)``) stays text: never a live formula in Excel."""
    cell = cell_type(sheet, value=value)
    cell.data_type = "s"
    return cell


def write_xlsx(rows: Iterable[list[Any]], *, title: str) -> bytes:
    return write_xlsx_sheets([(title, rows)])


def write_xlsx_sheets(sheets: Iterable[tuple[str, Iterable[list[Any]]]]) -> bytes:
    """A workbook with one sheet per (title, rows); titles are cut to Excel's 31 characters."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for row in rows:
            sheet.append(
                [_as_text(sheet, v, WriteOnlyCell) if _formula_like(v) else v for v in row]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
