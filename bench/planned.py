"""Planned-work sweep benchmark: 20 offices, 10,000 plans of mixed frequencies; one sweep when a
full batch is due, the whole catch-up when every plan is due, and a sweep with nothing due."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.timing import report

OFFICES = 20
PLANS = 10_000


def _fill() -> None:
    from estate.equipment.models import Equipment
    from estate.planned.models import Plan, PlanItem
    from estate.properties.models import Company, Office, ServiceUnit

    company = Company.objects.create(name="Bench planned")
    offices = Office.objects.bulk_create(
        Office(company=company, name=f"Plan office {n}", code=f"PL{n:02d}", kind="property")
        for n in range(OFFICES)
    )
    units = ServiceUnit.objects.bulk_create(
        ServiceUnit(office=o, name="維修班", kind="repair", scope="設備") for o in offices
    )
    per_office = PLANS // OFFICES
    pieces = Equipment.objects.bulk_create(
        Equipment(office=o, code=f"E{n}", name=f"水泵{n}", kind="water_pump")
        for o in offices
        for n in range(per_office)
    )
    Equipment.objects.bulk_create(
        Equipment(office=o, code=f"L{n}", name=f"電梯{n}", kind="lift")
        for o in offices
        for n in range(4)
    )
    shapes: list[dict[str, Any]] = [
        {"frequency": "hours", "every": 4, "times": ["00:00"]},
        {"frequency": "daily", "times": ["08:00", "20:00"]},
        {"frequency": "weekly", "weekdays": [1, 3, 5], "times": ["09:00"]},
        {"frequency": "monthly", "day_of_month": 15, "working_days_only": True},
        {"frequency": "yearly", "month": 3, "day_of_month": 1},
    ]
    later = timezone.now() + timedelta(days=3650)  # none due until the benchmark says so
    plans = []
    for index, piece in enumerate(pieces):
        office_index = index // per_office
        kind_plan = index % 10 == 0  # one in ten on every lift of the office
        plans.append(
            Plan(
                office=offices[office_index],
                name=f"計劃{index}",
                service_unit=units[office_index],
                target="equipment_kind" if kind_plan else "equipment",
                equipment=None if kind_plan else piece,
                equipment_kind="lift" if kind_plan else "",
                starts_on=date(2025, 1, 1),
                window_minutes=120,
                next_due_at=later,
                **shapes[index % len(shapes)],
            )
        )
    Plan.objects.bulk_create(plans, batch_size=2000)
    PlanItem.objects.bulk_create(
        (PlanItem(plan=p, position=1, text="運轉正常", kind="check") for p in plans),
        batch_size=2000,
    )


def main() -> None:
    from estate.planned.actions import open_due_tasks
    from estate.planned.models import Plan, PlannedTask

    started = time.perf_counter()
    _fill()
    print(f"{'plans filled':<56} {PLANS:,} plans in {OFFICES} offices "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    now = timezone.now()
    empty = []
    for _ in range(30):
        begin = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = open_due_tasks(now)
        empty.append(time.perf_counter() - begin)
        assert result.opened == 0
    report(f"sweep with nothing due ({len(queries)} query)", empty)
    with connection.cursor() as cursor:
        sql, params = (
            Plan.objects.filter(next_due_at__lte=now)
            .order_by("next_due_at")
            .values_list("pk", flat=True)[:500]
            .query.sql_with_params()
        )
        explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
        cursor.execute(f"{explain} {sql}", params)
        print("  plan of the due query:", " / ".join(str(row[-1]) for row in cursor.fetchall()))
    # Every plan falls due an hour ago: a scheduler back after downtime.
    Plan.objects.update(next_due_at=now - timedelta(hours=1))
    batches = []
    while True:
        begin = time.perf_counter()
        result = open_due_tasks(now)
        batches.append(time.perf_counter() - begin)
        if not result.more:
            break
    report("one sweep, a full batch (500 plans) due", batches[:-1] or batches)
    print(f"{'all 10,000 due: total catch-up':<56} {sum(batches):9.2f} s in {len(batches)} sweeps, "
          f"{PlannedTask.objects.count():,} tasks")  # fmt: skip
