"""Form fields for spreadsheet cells: the date, number, choice and yes/no forms every import
accepts alike, whether the cell came from XLSX (a real date, an int, a float) or CSV (text).

Text is width-folded first (NFKC: ``１２３`` → ``123``, ``２０２６年９月３０日`` →
``2026年9月30日``), for Chinese input methods type full-width digits without anyone noticing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

LANGUAGES = ("zh-hant", "zh-hans", "en")


def fold(text: Any) -> str:
    """The form of a header or label that matching compares: width-folded, no spaces, lower."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).lower()


def cell_text(value: Any) -> str:
    """A cell as text: an integer stored as a float (``2.0``) reads as ``2``; NFKC, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFKC", str(value)).strip()


class SheetTextField(forms.CharField):
    """Text; numbers typed into a text column (``13900001234`` as a number) read as digits."""

    def to_python(self, value: Any) -> str | None:
        return super().to_python(cell_text(value))


class SheetIntegerField(forms.IntegerField):
    def to_python(self, value: Any) -> int | None:
        return super().to_python(cell_text(value) if not isinstance(value, int) else value)


# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in); 2958465 is 9999-12-31.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_LAST = 2958465
_DATE_FORMS = (
    re.compile(
        r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
    ),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号號]?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)


class SheetDateField(forms.Field):
    """A day: a date cell, ``2026-09-30``, ``2026/9/30``, ``2026.09.30``, ``2026年9月30日``,
    ``20260930``, or an Excel serial day number in a numeric cell."""

    default_error_messages = {
        "invalid": _("Write the date as YYYY-MM-DD, e.g. 2026-09-30 (not %(value)s)."),
    }

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return self._from_number(value)
        text = cell_text(value)
        if not text:
            return None
        for pattern in _DATE_FORMS:
            match = pattern.fullmatch(text)
            if match:
                return self._day(int(match["y"]), int(match["m"]), int(match["d"]), text)
        raise self._invalid(text)

    def _from_number(self, value: int | float | Decimal) -> date:
        if value == int(value) and 10000101 <= value <= 99991231:
            # A number cell holding 20260930 rather than a date.
            whole = int(value)
            return self._day(whole // 10000, whole // 100 % 100, whole % 100, str(whole))
        if 1 <= value <= _EXCEL_LAST:
            return _EXCEL_EPOCH + timedelta(days=int(value))  # a fraction is the time of day
        raise self._invalid(value)

    def _day(self, year: int, month: int, day: int, text: str) -> date:
        try:
            return date(year, month, day)
        except ValueError:
            raise self._invalid(text) from None

    def _invalid(self, value: Any) -> forms.ValidationError:
        return forms.ValidationError(
            self.error_messages["invalid"], code="invalid", params={"value": value}
        )


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


class SheetDecimalField(forms.DecimalField):
    """A number: a numeric cell, or text such as ``1234.5``, ``1,234.5``, ``１２３`` or
    ``1 234.5``. Commas count only as thousands separators (``1,5`` is refused, not read as 15),
    so a European decimal comma is never misread."""

    default_error_messages = {
        "invalid": _("Write a number, e.g. 1234.5 (not %(value)s)."),
    }

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs say int
        if value in self.empty_values:
            return None
        if isinstance(value, bool):
            raise self._invalid(value)
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, (int, float)):
            number = Decimal(
                str(value)
            )  # str() gives the shortest form: 99.9, not 99.900000000000006
        else:
            text = "".join(cell_text(value).split())
            if _THOUSANDS.fullmatch(text):
                text = text.replace(",", "")
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise self._invalid(cell_text(value)) from None
        if not number.is_finite():
            raise self._invalid(cell_text(value))
        return number

    def _invalid(self, value: Any) -> forms.ValidationError:
        return forms.ValidationError(
            self.error_messages["invalid"], code="invalid", params={"value": value}
        )


def choice_aliases(choices: Iterable[tuple[Any, Any]]) -> dict[str, str]:
    """Every folded spelling of every choice, its value and its label in each UI language."""
    aliases: dict[str, str] = {}
    for value, label in choices:
        aliases[fold(value)] = str(value)
        for language in LANGUAGES:
            with override(language):
                aliases[fold(str(label))] = str(value)
    return aliases


class SheetChoiceField(forms.Field):
    """One of ``choices``, written as its value or its label in any UI language (``住宅``,
    ``住宅`` in zh-Hans, ``residence``); empty gives ``empty_value``."""

    default_error_messages = {
        "invalid_choice": _("Unknown value %(value)s. Write one of: %(options)s."),
    }

    def __init__(
        self, *, choices: Iterable[tuple[Any, Any]], empty_value: Any = "", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.choices = list(choices)
        self.empty_value = empty_value
        self._aliases: dict[str, str] | None = None

    def to_python(self, value: Any) -> Any:
        text = cell_text(value)
        if not text:
            return self.empty_value
        if self._aliases is None:
            self._aliases = choice_aliases(self.choices)
        found = self._aliases.get(fold(text))
        if found is None:
            options = ", ".join(str(label) for _value, label in self.choices)
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": text, "options": options},
            )
        return found

    def validate(self, value: Any) -> None:
        if self.required and value in (None, ""):
            raise forms.ValidationError(self.error_messages["required"], code="required")


_TRUE = {"1", "y", "yes", "true", "是", "✓", "√", "x"}
_FALSE = {"0", "n", "no", "false", "否", ""}


def _translated(word: Any) -> set[str]:
    """The (lazily translated) word as the roster export writes it, in each UI language."""
    spellings = set()
    for language in LANGUAGES:
        with override(language):
            spellings.add(fold(str(word)))
    return spellings


class SheetBooleanField(forms.Field):
    """Yes or no: 是/否, yes/no, y/n, 1/0, ✓ or x; an empty cell is no."""

    default_error_messages = {"invalid": _("Write yes or no.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = fold(cell_text(value))
        if text in _TRUE or text in _translated(_("yes")):
            return True
        if text in _FALSE or text in _translated(_("no")):
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
