"""Time-rule sweep benchmark: 100,000 open orders with running clocks, and a sweep that finds nothing due."""

from __future__ import annotations

import time

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bench.timing import report, timed
from bench.workorders import fill_table


def main(*, open_orders: int = 100_000) -> None:
    from estate.accounts.models import User
    from estate.properties.models import Office, ServiceUnit
    from estate.timerules.scheduler import next_wake, sweep

    if connection.vendor != "postgresql":
        print("timerules: the 100,000-order fill uses PostgreSQL SQL; run with --postgres")
        return
    call_command("seed_demo", verbosity=0)
    office = Office.objects.get(code="BSW")
    repair = ServiceUnit.objects.get(office=office, name="維修班")
    started = time.perf_counter()
    fill_table(office.pk, repair.pk, User.objects.get(username="reception").pk, open_orders)
    with connection.cursor() as cursor:
        # Two running clocks per order, all due in the coming days: the sweep must find none.
        for rule, target in (("same_day_reply", "same_day"), ("weekly_contact", "hours")):
            cursor.execute(
                """
                INSERT INTO timerules_clock (work_order_id, office_id, rule, target_kind, amount, pauses_on_hold, state,
                                             started_at, due_at, warn_at, escalation_level)
                SELECT id, office_id, %s, %s, 1, false, 'running', now(),
                       now() + interval '1 day' + (id %% 5000) * interval '1 minute',
                       now() + interval '20 hours' + (id %% 5000) * interval '1 minute', 0
                FROM workorders_workorder WHERE number LIKE 'BULK-%%'
                """,
                [rule, target],
            )
        cursor.execute("ANALYZE timerules_clock")
    print(f"{'orders and clocks filled':<56} {open_orders:,} orders, {2 * open_orders:,} clocks "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    samples = []
    for _ in range(30):
        begin = time.perf_counter()
        result = sweep()
        samples.append(time.perf_counter() - begin)
        assert (result.warned, result.breached, result.escalated) == (0, 0, 0)
    report("sweep with nothing due", samples)
    timed("next_wake (earliest due or warning)", lambda: next_wake(timezone.now()), repeat=30)
