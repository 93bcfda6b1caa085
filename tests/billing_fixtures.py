"""Billing test data: building 3 of 碧水灣 with a vacant flat and a shop, its fees and water meter,
and the cashier; shared by the bill-run and payment tests (loaded from conftest)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from estate.billing.choices import Basis, FeeKind
from estate.billing.models import FeeItem, FeeRate, Meter
from estate.billing.readings import record_reading
from estate.core.periods import Quarter
from estate.properties.models import Unit
from tests.factories import ResidentFactory, staff, unit_at

Q3, Q4 = Quarter(2026, 3), Quarter(2026, 4)
D = Decimal


def read(meter, previous, current, quarter=Q3, **extra):
    return record_reading(
        meter, quarter=quarter, previous=D(previous), current=D(current),
        read_on=quarter.last_day, **extra,
    )  # fmt: skip


@pytest.fixture
def cashier(bsw):
    from estate.accounts.roles import Role

    return staff("cashier", Role.CASHIER, bsw)


@pytest.fixture
def building3(bsw):
    """Building 3: 3-1202 (88.50 m², lived in, from the bsw fixture), 3-1201 (100 m²), 3-1101
    (120 m², vacant) and the shop 3-S01 (50 m²)."""
    for address, area, use, lived_in in (
        ("3-1201", "100.00", "residence", True),
        ("3-1101", "120.00", "residence", False),
        ("3-S01", "50.00", "shop", True),
    ):
        unit = unit_at(bsw, address, area=D(area), use=use)
        if lived_in:
            ResidentFactory(household__unit=unit, is_primary=True)
    return {u.address: u for u in Unit.objects.filter(office=bsw)}


@pytest.fixture
def fees(bsw, building3):
    management = FeeItem.objects.create(
        office=bsw, name="物業管理費", kind=FeeKind.MANAGEMENT, basis=Basis.AREA_MONTH
    )
    FeeRate.objects.create(
        office=bsw, fee_item=management, unit_use="residence", amount=D("2.50"),
        effective_from=date(2026, 1, 1),
    )  # fmt: skip
    FeeRate.objects.create(
        office=bsw, fee_item=management, unit_use="shop", amount=D("4.00"),
        effective_from=date(2026, 1, 1),
    )  # fmt: skip
    water = FeeItem.objects.create(
        office=bsw, name="公共用水分攤", kind=FeeKind.WATER, basis=Basis.SHARED_USAGE
    )
    FeeRate.objects.create(
        office=bsw, fee_item=water, amount=D("4.20"), effective_from=date(2026, 1, 1)
    )
    meter = Meter.objects.create(office=bsw, name="3棟總水錶", fee_item=water)
    meter.serves.set(building3.values())
    return {"management": management, "water": water, "meter": meter}


def issue_q4(bsw, fees, cashier):
    """The 2026Q4 run issued now: 3-1201 owes 1,630.50, 3-1202 1,443.00, 3-S01 1,040.25."""
    from estate.billing import runs
    from estate.billing.models import Statement

    read(fees["meter"], "1000.00", "1500.00")
    runs.issue(bsw, Q4, by=cashier)
    return {s.unit.address: s for s in Statement.objects.select_related("unit")}


@pytest.fixture
def issued(bsw, fees, cashier):
    """The 2026Q4 run issued (see ``issue_q4``)."""
    return issue_q4(bsw, fees, cashier)


@pytest.fixture
def issued_on_october_first(bsw, fees, cashier):
    """The same run issued on 2026-10-01, so it fell due on 2026-10-31 (the office's 30 days):
    for the tests of what happens once bills are overdue."""
    with time_machine.travel(datetime(2026, 10, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        return issue_q4(bsw, fees, cashier)
