"""Bill-run benchmark: an office of N households (200 to a building, a shared water meter each),
the 2026Q4 run issued and timed (statements/s), peak Python memory of a run at two sizes (to
show it stays flat), and statement PDFs rendered (pages/s on one core).

With fee rules (issue 20): the 2026Q3 run is issued first, a third of its statements left part
unpaid (a late fee each in 2026Q4), a third paid ahead (a carried credit each), and one flat in
twenty has an approved vacancy discount (a discount line each).

Targets (issue 6): ≥ 5,000 statements/s on PostgreSQL; ≥ 50 PDF pages/s per core; memory flat
in the number of households.
"""

from __future__ import annotations

import time
import tracemalloc
from datetime import date
from decimal import Decimal

from django.core.management import call_command
from django.db import connection

from estate.properties.models import Office

PER_BUILDING = 200


def fill(code: str, households: int) -> Office:
    """An office with ``households`` lived-in flats, fees and 2026Q3 and 2026Q4 readings."""
    from estate.billing.choices import Basis, FeeKind
    from estate.billing.models import FeeItem, FeeRate, Meter, MeterReading
    from estate.properties.models import (
        Building,
        Company,
        Household,
        Resident,
        Site,
        Unit,
        unit_address,
    )

    company = Company.objects.first() or Company.objects.create(name="Bench")
    office = Office.objects.create(
        company=company, name=f"{code}管理處", code=code, kind="property"
    )
    site = Site.objects.create(office=office, name=f"{code}小區", kind="community")
    buildings = Building.objects.bulk_create(
        Building(office=office, site=site, code=str(n + 1), name=f"{n + 1}棟")
        for n in range((households + PER_BUILDING - 1) // PER_BUILDING)
    )
    units = Unit.objects.bulk_create(
        (
            Unit(
                office=office,
                building=buildings[n // PER_BUILDING],
                number=f"{n % PER_BUILDING + 101}",
                address=unit_address(
                    buildings[n // PER_BUILDING].code, f"{n % PER_BUILDING + 101}"
                ),
                floor=1,
                area=Decimal("60.00") + Decimal(n % 97),
                use="residence",
            )
            for n in range(households)
        ),
        batch_size=5000,
    )
    homes = Household.objects.bulk_create(
        (Household(office=office, unit=unit, kind="owner") for unit in units), batch_size=5000
    )
    Resident.objects.bulk_create(
        (
            Resident(
                office=office, household=home, name=f"業主{n}", phone=f"139{n:08d}", is_primary=True
            )
            for n, home in enumerate(homes)
        ),
        batch_size=5000,
    )
    management = FeeItem.objects.create(
        office=office, name="物業管理費", kind=FeeKind.MANAGEMENT, basis=Basis.AREA_MONTH
    )
    FeeRate.objects.create(
        office=office, fee_item=management, unit_use="residence", amount=Decimal("2.50"),
        effective_from=date(2026, 1, 1),
    )  # fmt: skip
    water = FeeItem.objects.create(
        office=office, name="公共用水分攤", kind=FeeKind.WATER, basis=Basis.SHARED_USAGE
    )
    FeeRate.objects.create(
        office=office, fee_item=water, amount=Decimal("4.20"), effective_from=date(2026, 1, 1)
    )
    for building in buildings:
        meter = Meter.objects.create(office=office, name=f"{building.name}水錶", fee_item=water)
        meter.serves.set(Unit.objects.filter(building=building))
        for quarter, previous in (("2026Q2", 700), ("2026Q3", 1000), ("2026Q4", 1300)):
            MeterReading.objects.create(
                office=office, meter=meter, quarter=quarter, previous=Decimal(previous),
                current=Decimal(previous + 300), read_on=date(2026, 12, 31),
            )  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would, before the planner meets the tables
    return office


def add_fee_rules(office: Office, cashier: object) -> float:
    """The 2026Q3 run issued (timed: the run without rules, for comparison, in statements/s)
    and paid as above, a late-fee rule and a vacancy discount."""
    from datetime import timedelta

    from django.utils import timezone

    from estate.billing import runs
    from estate.billing.models import FeeItem, LateFeeRule, Statement, VacancyApplication
    from estate.core.periods import Quarter
    from estate.properties.models import Household

    started = time.perf_counter()
    plain = runs.issue(office, Quarter(2026, 3), by=cashier)
    rate = plain.statements_issued / (time.perf_counter() - started)
    table = Statement._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET paid = CASE WHEN id %% 3 = 0 THEN total - 100 "
            "WHEN id %% 3 = 1 THEN total + 100 ELSE total END WHERE office_id = %s",
            [office.pk],
        )
    management = FeeItem.objects.get(office=office, kind="management")
    FeeItem.objects.filter(pk=management.pk).update(vacancy_discount=Decimal("30"))
    LateFeeRule.objects.create(
        office=office, fee_item=management, basis="per_day", rate=Decimal("0.5"), grace_days=15,
        cap_kind="percent", cap=Decimal("20"), contract_reference="物業服務合同第十二條",
    )  # fmt: skip
    decided = timezone.now() - timedelta(days=1)
    homes = Household.objects.filter(office=office).order_by("id").values_list("id", "unit_id")
    approved = {
        "office": office, "vacant_from": date(2026, 7, 1), "channel": "desk",
        "requested_by": cashier, "requested_at": decided, "status": "approved",
        "found_vacant": True, "decided_by": cashier, "decided_at": decided,
    }  # fmt: skip
    VacancyApplication.objects.bulk_create(
        (
            VacancyApplication(unit_id=unit_id, household_id=household_id, **approved)
            for n, (household_id, unit_id) in enumerate(homes)
            if n % 20 == 0
        ),
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return rate


def main(*, households: int = 100_000) -> None:
    from estate.accounts.models import User
    from estate.billing import printing, runs
    from estate.billing.models import Statement
    from estate.core.periods import Quarter

    call_command("seed_demo", verbosity=0)
    cashier = User.objects.get(username="cashier")
    started = time.perf_counter()
    office = fill("BIG", households)
    print(f"{'filled households':<56} {households:,} in {time.perf_counter() - started:.1f} s")
    plain = add_fee_rules(office, cashier)
    print(f"{'bill run 2026Q3, no fee rules nor earlier statements':<56} {plain:,.0f} statements/s")

    started = time.perf_counter()
    run = runs.issue(office, Quarter(2026, 4), by=cashier)
    elapsed = time.perf_counter() - started
    print(
        f"{'bill run 2026Q4, statements issued':<56} {run.statements_issued:,} in {elapsed:.1f} s"
        f" = {run.statements_issued / elapsed:,.0f} statements/s"
    )
    from django.db.models import Count

    from estate.billing.models import StatementLine

    kinds = dict(
        StatementLine.objects.filter(statement__run=run)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    print(
        f"{'  lines: fee / apportionment / late fee / discount / credit':<56} "
        + " / ".join(f"{kinds.get(k, 0):,}" for k in ("fee", "apportionment", "late_fee", "discount", "credit"))
    )  # fmt: skip

    small = fill("SMALL", households // 5)
    for label, target in (
        (f"{households // 5:,} households", small),
        (f"{households:,} households", office),
    ):
        tracemalloc.start()
        runs.issue(target, Quarter(2027, 1), by=cashier)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{'peak Python memory of a run, ' + label:<56} {peak / 2**20:9.1f} MiB")

    batch = list(
        Statement.objects.filter(office=office, quarter="2026Q4")
        .select_related("office", "unit")
        .prefetch_related("lines")
        .order_by("number")[:500]
    )
    started = time.perf_counter()
    pdf = printing.statements_pdf(batch, "bench")
    elapsed = time.perf_counter() - started
    print(
        f"{'statement PDF, 500 pages in one file':<56} {elapsed:.2f} s = {500 / elapsed:,.0f} pages/s"
        f" ({len(pdf) / 2**20:.1f} MiB)"
    )
