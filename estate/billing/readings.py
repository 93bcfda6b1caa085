"""Recording meter readings, one at a time or a whole sheet (CSV or XLSX), all or nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from estate.billing.models import Meter, MeterReading
from estate.core.periods import Quarter
from estate.core.tables import RowError


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


# The sheet's columns: key, the labels accepted in the header (any language), required.
COLUMNS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("meter", ("錶名", "表名", "meter"), True),
    ("quarter", ("季度", "quarter"), True),
    ("previous", ("上期讀數", "上期读数", "previous reading", "previous"), True),
    ("current", ("本期讀數", "本期读数", "current reading", "current"), True),
    ("shared_usage", ("公共用量", "shared usage"), False),
    ("read_on", ("抄錶日期", "抄表日期", "read on"), True),
)


def _label(key: str) -> str:
    return next(labels[0] for k, labels, _required in COLUMNS if k == key)


def import_readings(office: Any, table: list[list[Any]]) -> list[MeterReading]:
    """Record every reading of a sheet, or none: any bad row raises ImportRefused with each
    problem by row (the header is row 1) and column."""
    errors: list[RowError] = []
    if not table:
        raise ImportRefused([RowError(1, "", _("The file is empty."))])
    header = [str(cell or "").strip().lower() for cell in table[0]]
    where: dict[str, int] = {}
    for key, labels, required in COLUMNS:
        found = [i for i, title in enumerate(header) if title in {x.lower() for x in labels}]
        if found:
            where[key] = found[0]
        elif required:
            errors.append(RowError(1, labels[0], _("This required column is missing.")))
    if errors:
        raise ImportRefused(errors)
    meters = {m.name: m for m in Meter.objects.filter(office=office)}
    planned: list[tuple[Meter, Quarter, Decimal, Decimal, Decimal | None, date]] = []
    seen: set[tuple[int, str]] = set()
    for number, row in enumerate(table[1:], start=2):
        cells = {key: (row[i] if i < len(row) else None) for key, i in where.items()}
        if all(cell in (None, "") for cell in cells.values()):
            continue
        problems = len(errors)

        def fail(key: str, message: str, number: int = number) -> None:
            errors.append(RowError(number, _label(key), message))

        meter = meters.get(str(cells["meter"] or "").strip())
        if meter is None:
            fail(
                "meter",
                _("No meter of this name in the office: %(name)s.") % {"name": cells["meter"]},
            )
        try:
            quarter = Quarter.parse(str(cells["quarter"] or ""))
        except ValueError:
            fail("quarter", _("Write the quarter like 2026Q4."))
        values: dict[str, Decimal | None] = {}
        for key in ("previous", "current", "shared_usage"):
            raw = cells.get(key)
            if raw in (None, "") and key == "shared_usage":
                values[key] = None
                continue
            try:
                values[key] = Decimal(str(raw).strip().replace(",", ""))
            except (InvalidOperation, ValueError):
                fail(key, _("Write a number."))
        read_on = _day(cells["read_on"])
        if read_on is None:
            fail("read_on", _("Write the date like 2026-09-30."))
        if len(errors) > problems or meter is None:
            continue
        previous, current = values["previous"], values["current"]
        if previous is None or current is None or read_on is None:
            continue  # reported above
        if (meter.pk, str(quarter)) in seen:
            fail(
                "quarter",
                _("This meter's reading for %(quarter)s appears twice.") % {"quarter": quarter},
            )
            continue
        seen.add((meter.pk, str(quarter)))
        for key, message in check_reading(
            meter, quarter, previous, current, values["shared_usage"]
        ).items():
            fail(key if key != "shared_usage" else "shared_usage", message)
        planned.append((meter, quarter, previous, current, values["shared_usage"], read_on))
    if errors:
        raise ImportRefused(errors)
    with transaction.atomic():
        return [
            MeterReading.objects.create(
                office_id=meter.office_id,
                meter=meter,
                quarter=str(quarter),
                previous=previous,
                current=current,
                shared_usage=shared,
                read_on=read_on,
            )
            for meter, quarter, previous, current, shared, read_on in planned
        ]


def _day(raw: Any) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw or "").strip().replace("/", "-"))
    except ValueError:
        return None


class ImportRefused(Exception):
    """Nothing was imported; ``errors`` says what to fix, by row and column."""

    def __init__(self, errors: list[Any]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors
