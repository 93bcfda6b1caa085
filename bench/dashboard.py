"""Dashboard benchmark: the figures of one office-month and of the whole company, with a large
history behind them (PostgreSQL).

The demo company gets 18 more offices; ``--dashboard-orders`` orders (1,000,000 by default) are
spread over its 20 offices and the last 24 months, each with three clocks (90 % kept, 7 %
missed, 3 % still running), a logged call, and every second one a return visit with a score.
Then the figures are timed as the pages compute them: one office for one month, all offices for
one month and quarter, the pages, and the six-month trend each page fetches after it loads.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from bench.timing import report, timed

OFFICES = 20
MONTHS = 24


def main(*, orders: int) -> None:
    from estate.accounts.models import User
    from estate.properties.models import Office

    if connection.vendor != "postgresql":
        print("dashboard: the bulk fill uses PostgreSQL SQL; run with --postgres")
        return
    call_command("seed_demo", verbosity=0)
    bsw = Office.objects.get(code="BSW")
    for number in range(Office.objects.count(), OFFICES):
        Office.objects.create(
            company=bsw.company,
            name=f"測試管理處 {number:02d}",
            code=f"T{number:02d}",
            kind=bsw.kind,
        )
    offices = list(Office.objects.order_by("pk"))
    started = time.perf_counter()
    _fill([office.pk for office in offices], User.objects.get(username="reception").pk, orders)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM timerules_clock")
        (clocks,) = cursor.fetchone()
    print(f"{'history filled':<56} {orders:,} orders, {clocks:,} clocks, "
          f"{OFFICES} offices in {time.perf_counter() - started:.1f} s")  # fmt: skip
    measure(bsw, offices)


def measure(bsw: Any, offices: list[Any]) -> None:
    """Time the figures and pages (also usable on a database filled earlier)."""
    from estate.reports.dashboard import dashboard
    from estate.reports.periods import Period

    today = timezone.localdate()
    month = Period.month_of(today.replace(day=1) - timedelta(days=1))  # last month
    quarter = Period.quarter_of(month.first)
    timed(
        "one office, one month (all figures)",
        lambda: dashboard([bsw], month, today=today),
        repeat=20,
    )
    timed(
        f"all {OFFICES} offices, one month (all figures)",
        lambda: dashboard(offices, month, today=today),
        repeat=10,
    )
    timed(
        f"all {OFFICES} offices, one quarter (all figures)",
        lambda: dashboard(offices, quarter, today=today),
        repeat=5,
    )
    client = Client()
    client.login(username="head", password=settings.DEMO_PASSWORD)
    office_page = f"/reports/?office={bsw.pk}&period={month}"
    _page(client, office_page, "office dashboard page")
    _page(client, f"/reports/trend/?office={bsw.pk}&period={month}", "  its trend (fetched after)")
    client.login(username="leader", password=settings.DEMO_PASSWORD)
    _page(client, f"/reports/company/?period={month}", "company page", repeat=5)
    _page(client, f"/reports/trend/?all=1&period={month}", "  its trend (fetched after)", repeat=5)


def _page(client: Client, url: str, label: str, repeat: int = 10) -> None:
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - begin)
        assert response.status_code == 200, response.status_code
    report(label, samples)


def _fill(office_ids: list[int], user_id: int, orders: int) -> None:
    """Orders, clocks, calls and visits over the last 24 months, spread evenly over the offices."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO workorders_workorder (
                office_id, number, kind, status, priority, is_emergency, complaint_type, is_important,
                location, requester_name, requester_phone, description, accountable_id,
                promise_reason, held_from, hold_reason, cancel_reason, work_done, materials_used,
                fee_charged, opened_at, completed_at)
            SELECT (%s::int[])[1 + n %% %s], 'DASH-' || n,
                   (ARRAY['repair','housekeeping','complaint','repair'])[1 + n %% 4],
                   'closed', 'normal', false, '', false, '公共區域', '', '', '歷史工單 ' || n, %s,
                   '', '', '', '', '', '', 0,
                   now() - (n %% (%s * 30)) * interval '1 day' - (n %% 600) * interval '1 minute',
                   now() - (n %% (%s * 30)) * interval '1 day' + interval '3 hours'
            FROM generate_series(1, %s) AS n
            """,
            [office_ids, len(office_ids), user_id, MONTHS, MONTHS, orders],
        )
        for rule, kind in (
            ("same_day_reply", "same_day"),
            ("weekly_contact", "hours"),
            ("same_day_completion", "same_day"),
        ):
            cursor.execute(
                """
                INSERT INTO timerules_clock (work_order_id, office_id, rule, target_kind, amount,
                    pauses_on_hold, state, started_at, due_at, met_at, breached_at,
                    escalation_level, missed_reason)
                SELECT id, office_id, %s, %s, 1, false,
                       CASE WHEN id %% 100 < 90 THEN 'met' WHEN id %% 100 < 97 THEN 'breached'
                            ELSE 'running' END,
                       opened_at, opened_at + interval '8 hours',
                       CASE WHEN id %% 100 < 90 THEN opened_at + interval '2 hours'
                            WHEN id %% 100 < 97 THEN opened_at + interval '9 hours' END,
                       CASE WHEN id %% 100 BETWEEN 90 AND 96 THEN opened_at + interval '8 hours' END,
                       0, ''
                FROM workorders_workorder WHERE number LIKE 'DASH-%%'
                """,
                [rule, kind],
            )
        cursor.execute(
            """
            INSERT INTO frontdesk_callrecord (office_id, call_id, caller_phone, rang_at,
                                              ring_seconds, answered, extension)
            SELECT office_id, 'dash-' || id, '', opened_at - interval '5 minutes',
                   id %% 20, id %% 50 <> 0, ''
            FROM workorders_workorder WHERE number LIKE 'DASH-%%'
            """,
            [],
        )
        cursor.execute(
            """
            INSERT INTO visits_returnvisit (office_id, kind, status, work_order_id, assigned_to_id,
                due_at, attempts, channel, score, comments, visited_at, visited_by_id)
            SELECT office_id, 'order', 'done', id, %s, completed_at + interval '1 hour', 1, 'phone',
                   1 + id %% 5, '', completed_at + interval '30 minutes', %s
            FROM workorders_workorder WHERE number LIKE 'DASH-%%' AND id %% 2 = 0
            """,
            [user_id, user_id],
        )
        # What autovacuum does on a live database: statistics, and the visibility map that lets
        # the covering indexes answer without reading the table.
        for table in (
            "workorders_workorder",
            "timerules_clock",
            "frontdesk_callrecord",
            "visits_returnvisit",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
