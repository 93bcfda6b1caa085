"""Recording meter readings, one at a time or a whole sheet (CSV or XLSX), all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from estate.billing.models import Meter, MeterReading
from estate.core.import_fields import SheetDateField, SheetDecimalField, SheetTextField
from estate.core.importer import Column, Importer, ImportRefused, ImportRow, Problem
from estate.core.periods import Quarter


def check_reading(
    meter: Meter,
    quarter: Quarter,
    previous: Decimal,
    current: Decimal,
    shared_usage: Decimal | None = None,
) -> dict[str, str]:
    """What is wrong with a reading, by field (empty when it is fine)."""
    problems: dict[str, str] = {}
    if current < previous:
        problems["current"] = _(
            "The current reading %(current)s is lower than the previous one %(previous)s."
        ) % {"current": current, "previous": previous}
    if shared_usage is not None and shared_usage < 0:
        problems["shared_usage"] = _("The shared usage cannot be negative.")
    if MeterReading.objects.filter(meter=meter, quarter=str(quarter)).exists():
        problems["quarter"] = _("Meter %(meter)s already has a reading for %(quarter)s.") % {
            "meter": meter.name,
            "quarter": quarter,
        }
    last = (
        MeterReading.objects.filter(meter=meter, quarter=str(quarter.previous))
        .values_list("current", flat=True)
        .first()
    )
    if last is not None and previous != last:
        problems["previous"] = _(
            "The previous reading %(previous)s differs from %(last)s, the reading at the end of %(quarter)s."
        ) % {"previous": previous, "last": last, "quarter": quarter.previous}
    return problems


def record_reading(
    meter: Meter,
    *,
    quarter: Quarter,
    previous: Decimal,
    current: Decimal,
    read_on: date,
    shared_usage: Decimal | None = None,
) -> MeterReading:
    problems = check_reading(meter, quarter, previous, current, shared_usage)
    if problems:
        raise ValidationError(problems)
    return MeterReading.objects.create(
        office_id=meter.office_id,
        meter=meter,
        quarter=str(quarter),
        previous=previous,
        current=current,
        shared_usage=shared_usage,
        read_on=read_on,
    )


class ReadingRowForm(forms.Form):
    """One row of a readings sheet; ``meters`` are the office's meters by name."""

    meter = SheetTextField()
    quarter = SheetTextField()
    previous = SheetDecimalField(max_digits=14, decimal_places=2)
    current = SheetDecimalField(max_digits=14, decimal_places=2)
    shared_usage = SheetDecimalField(max_digits=14, decimal_places=2, required=False)
    read_on = SheetDateField()

    def __init__(self, *args: Any, meters: dict[str, Meter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meters = meters

    def clean_meter(self) -> Meter:
        name = self.cleaned_data["meter"]
        meter = self.meters.get(name)
        if meter is None:
            raise forms.ValidationError(
                _("No meter of this name in the office: %(name)s.") % {"name": name}
            )
        return meter

    def clean_quarter(self) -> Quarter:
        try:
            return Quarter.parse(self.cleaned_data["quarter"])
        except ValueError:
            raise forms.ValidationError(_("Write the quarter like 2026Q4.")) from None

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        if not self.errors:
            problems = check_reading(
                data["meter"], data["quarter"], data["previous"], data["current"],
                data["shared_usage"],
            )  # fmt: skip
            for key, message in problems.items():
                self.add_error(key, message)
        return data


def _once_per_quarter(rows: list[ImportRow]) -> Iterator[Problem]:
    first: dict[tuple[int, str], int] = {}
    for row in rows:
        key = (row.data["meter"].pk, str(row.data["quarter"]))
        if key in first:
            yield Problem(
                row.number,
                "quarter",
                _("This meter's reading for %(quarter)s appears twice (first on row %(first)d).")
                % {"quarter": key[1], "first": first[key]},
            )
        else:
            first[key] = row.number


READINGS = Importer(
    ReadingRowForm,
    columns=(
        Column(
            "meter", gettext_lazy("meter"), required=True, aliases=("錶名", "表名", "meter name")
        ),
        Column("quarter", gettext_lazy("quarter"), required=True, aliases=("季度",)),
        Column("previous", gettext_lazy("previous reading"), required=True, aliases=("previous",)),
        Column("current", gettext_lazy("current reading"), required=True, aliases=("current",)),
        Column("shared_usage", gettext_lazy("shared usage")),
        Column("read_on", gettext_lazy("read on"), required=True, aliases=("抄錶日期", "抄表日期")),
    ),
    checks=(_once_per_quarter,),
    # Offices keep notes beside the readings; a column we do not know is left alone.
    unknown_columns="ignore",
)


def import_readings(office: Any, table: list[list[Any]]) -> list[MeterReading]:
    """Record every reading of a sheet, or none: any bad row raises ImportRefused with each
    problem by row (the header is row 1) and column; an empty file raises TableFileError."""

    def save(rows: list[ImportRow]) -> list[MeterReading]:
        return [
            MeterReading.objects.create(
                office_id=row.data["meter"].office_id,
                meter=row.data["meter"],
                quarter=str(row.data["quarter"]),
                previous=row.data["previous"],
                current=row.data["current"],
                shared_usage=row.data["shared_usage"],
                read_on=row.data["read_on"],
            )
            for row in rows
        ]

    meters = {m.name: m for m in Meter.objects.filter(office=office)}
    return READINGS.run(table, save, meters=meters)


__all__ = ["ImportRefused", "check_reading", "import_readings", "record_reading"]
