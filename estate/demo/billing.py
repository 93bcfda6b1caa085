"""碧水灣's fees: the management fee by use, and each building's water and electricity meters with
their 2026Q3 readings, so the cashier can preview and issue the 2026Q4 run (due 30 days after
the day it is issued, the office's term, never before). Written once (an
office with any fee item is left alone); readings are derived from the building's code, not
drawn at random."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from estate.billing.choices import Basis, FeeKind, SplitMethod
from estate.billing.models import FeeItem, FeeRate, Meter, MeterReading
from estate.properties.choices import UnitUse
from estate.properties.models import Building, Office, Unit

SINCE = date(2026, 1, 1)
Q3_READ_ON = date(2026, 9, 30)
# name, kind, basis, {unit use: rate} ("" = any use)
FEE_ITEMS = (
    (
        "物業管理費",
        FeeKind.MANAGEMENT,
        Basis.AREA_MONTH,
        {"residence": "2.50", "shop": "4.00", "office": "3.50"},
    ),
    ("公共用水分攤", FeeKind.WATER, Basis.SHARED_USAGE, {"": "4.20"}),
    ("公共用電分攤", FeeKind.ELECTRICITY, Basis.SHARED_USAGE, {"": "0.68"}),
)


def seed_billing(office: Office, created: Counter[str]) -> None:
    if FeeItem.objects.filter(office=office).exists():
        return
    items = {}
    for name, kind, basis, rates in FEE_ITEMS:
        item = FeeItem.objects.create(office=office, name=name, kind=kind, basis=basis)
        FeeRate.objects.bulk_create(
            FeeRate(
                office=office,
                fee_item=item,
                unit_use=use,
                amount=Decimal(rate),
                effective_from=SINCE,
            )
            for use, rate in rates.items()
        )
        items[kind] = item
        created["fee items"] += 1
    for building in Building.objects.filter(office=office).order_by("sort_key", "id"):
        units = list(Unit.objects.filter(building=building).exclude(use=UnitUse.COMMON_AREA))
        if not units:
            continue
        number = int(building.code) if building.code.isdigit() else 1
        for kind, label, split, start, usage in (
            (FeeKind.WATER, "公共水錶", SplitMethod.AREA, 10_000 + 37 * number, 180 + 11 * number),
            (
                FeeKind.ELECTRICITY,
                "公共電錶",
                SplitMethod.AREA,
                50_000 + 91 * number,
                2_400 + 53 * number,
            ),
        ):
            meter = Meter.objects.create(
                office=office,
                name=f"{building.name}{label}",
                fee_item=items[kind],
                split_method=split,
            )
            meter.serves.set(units)
            MeterReading.objects.create(
                office=office,
                meter=meter,
                quarter="2026Q3",
                previous=Decimal(start),
                current=Decimal(start + usage),
                read_on=Q3_READ_ON,
            )
            created["meters"] += 1
