"""Apportionment (分攤) of a shared meter's quarter over the units it serves.

The shared usage is the meter's usage less its sub-meters' (or the amount given on the
reading); priced at the fee item's rate; split by floor area, equally, or by sub-meter usage,
in cents with the largest remainder, so the parts add up to the amount exactly. When vacant
units do not share, only lived-in units do; when they do, their parts are borne by the office.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from estate.billing.choices import SplitMethod
from estate.billing.models import FeeRate, Meter, MeterReading
from estate.core.money import split, to_cents
from estate.core.periods import Quarter
from estate.properties.models import Household


@dataclass
class Share:
    unit_id: int
    amount: Decimal
    basis: str


@dataclass
class Apportioned:
    meter: Meter
    quarter: Quarter
    shared_usage: Decimal
    price: Decimal
    total: Decimal
    shares: dict[int, Share] = field(default_factory=dict)
    unbilled: Decimal = Decimal("0.00")


def rate_on(fee_item_id: int, unit_use: str, day: date, rates: list[FeeRate]) -> FeeRate | None:
    """The rate in force on ``day`` for ``unit_use`` (an exact use beats the any-use rate)."""
    found = [
        r
        for r in rates
        if r.fee_item_id == fee_item_id and r.effective_from <= day and r.unit_use in (unit_use, "")
    ]
    found.sort(key=lambda r: (r.unit_use == unit_use, r.effective_from), reverse=True)
    return found[0] if found else None


def occupied_unit_ids(unit_ids: list[int], day: date) -> set[int]:
    return set(
        Household.objects.current(day)
        .filter(unit_id__in=unit_ids)
        .values_list("unit_id", flat=True)
    )


@dataclass
class SharedUsage:
    usage: Decimal
    price: Decimal
    total: Decimal
    sub_usage: dict[int | None, Decimal]


def shared_usage(meter: Meter, quarter: Quarter) -> SharedUsage:
    """The meter's shared usage, price and amount for the quarter; ValidationError naming what is
    missing (a reading, a sub-meter's reading, the price) or wrong (sub-meters over the meter)."""
    sub_meters = list(meter.sub_meters.all())
    readings = {
        r.meter_id: r
        for r in MeterReading.objects.filter(
            quarter=str(quarter), meter_id__in=[meter.pk, *(s.pk for s in sub_meters)]
        )
    }
    reading = readings.get(meter.pk)
    if reading is None:
        raise ValidationError(
            _("No reading of meter %(meter)s for %(quarter)s.")
            % {"meter": meter.name, "quarter": quarter}
        )
    missing = [s.name for s in sub_meters if s.pk not in readings]
    if missing and reading.shared_usage is None:
        raise ValidationError(
            _("No reading of sub-meter %(meter)s for %(quarter)s.")
            % {"meter": ", ".join(missing), "quarter": quarter}
        )
    sub_usage = {s.unit_id: readings[s.pk].usage for s in sub_meters if s.pk in readings}
    if reading.shared_usage is not None:
        shared_usage = reading.shared_usage
    else:
        shared_usage = reading.usage - sum(sub_usage.values(), Decimal(0))
    if shared_usage < 0:
        raise ValidationError(
            _("The sub-meters of %(meter)s used more than the meter itself in %(quarter)s.")
            % {"meter": meter.name, "quarter": quarter}
        )
    rate = rate_on(meter.fee_item_id, "", quarter.last_day, list(meter.fee_item.rates.all()))
    if rate is None:
        raise ValidationError(
            _("No price of %(item)s on %(day)s.")
            % {"item": meter.fee_item.name, "day": quarter.last_day.isoformat()}
        )
    return SharedUsage(shared_usage, rate.amount, to_cents(shared_usage * rate.amount), sub_usage)


def apportion(meter: Meter, quarter: Quarter, occupied: set[int] | None = None) -> Apportioned:
    """Split ``meter``'s shared usage of ``quarter`` over the units it serves. ``occupied`` (the
    lived-in units among them) may be given by a caller that looked it up for many meters."""
    shared = shared_usage(meter, quarter)
    total, sub_usage = shared.total, shared.sub_usage
    served = [Served(*row) for row in meter.serves.order_by("address").values_list("id", "area")]
    if occupied is None:
        occupied = occupied_unit_ids([u.pk for u in served], quarter.last_day)
    sharing = served if meter.vacant_units_share else [u for u in served if u.pk in occupied]
    result = Apportioned(meter, quarter, shared.usage, shared.price, total)
    if not sharing:
        result.unbilled = total
        return result
    weights = _weights(meter.split_method, sharing, sub_usage)
    whole = sum(weights, Decimal(0))
    for unit, weight, amount in zip(sharing, weights, split(total, weights), strict=True):
        basis = _basis(meter, shared.usage, shared.price, total, weight, whole, len(sharing))
        if unit.pk in occupied:
            result.shares[unit.pk] = Share(unit.pk, amount, basis)
        else:
            result.unbilled += amount
    return result


class Served(NamedTuple):
    pk: int
    area: Decimal


def _weights(
    method: str, units: list[Served], sub_usage: dict[int | None, Decimal]
) -> list[Decimal]:
    if method == SplitMethod.AREA:
        return [u.area for u in units]
    if method == SplitMethod.SUB_METER:
        return [sub_usage.get(u.pk, Decimal(0)) for u in units]
    return [Decimal(1)] * len(units)


def _basis(
    meter: Meter,
    usage: Decimal,
    price: Decimal,
    total: Decimal,
    weight: Decimal,
    whole: Decimal,
    count: int,
) -> str:
    shared = _("%(meter)s shared %(usage)s × %(price)s = %(total)s yuan") % {
        "meter": meter.name,
        "usage": usage,
        "price": price.normalize(),
        "total": total,
    }
    if meter.split_method == SplitMethod.AREA:
        part = _("by area %(mine)s of %(all)s m²") % {"mine": weight, "all": whole}
    elif meter.split_method == SplitMethod.SUB_METER:
        part = _("by usage %(mine)s of %(all)s") % {"mine": weight, "all": whole}
    else:
        part = _("equally, 1 of %(count)d") % {"count": count}
    return f"{shared}; {part}"
