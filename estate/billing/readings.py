"""Recording meter readings, one at a time or a whole sheet (CSV or XLSX), all or nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from estate.billing.models import Meter, MeterReading
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
