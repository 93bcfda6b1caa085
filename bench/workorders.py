"""Work-order benchmarks: orders created through the API, and the queue paged, on SQLite or PostgreSQL.

With ``--table-rows N`` (PostgreSQL) the order table is first filled to N rows with one
INSERT … SELECT, so the queue is measured at the size of a company's several years.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bench.timing import report


def main(*, orders: int, table_rows: int) -> None:
    from estate.accounts.models import User
    from estate.properties.models import Office, ServiceUnit, Unit

    call_command("seed_demo", verbosity=0)
    office = Office.objects.get(code="BSW")
    repair = ServiceUnit.objects.get(office=office, name="維修班")
    addresses = list(
        Unit.objects.filter(office=office, use="residence").values_list("address", flat=True)[:500]
    )
    if table_rows and connection.vendor == "postgresql":
        started = time.perf_counter()
        fill_table(office.pk, repair.pk, User.objects.get(username="reception").pk, table_rows)
        print(
            f"{'filled the order table to':<56} {table_rows:,} rows in {time.perf_counter() - started:.1f} s"
        )

    client = APIClient()
    client.login(username="reception", password=settings.DEMO_PASSWORD)
    latencies = []
    started = time.perf_counter()
    for index in range(orders):
        body = {
            "kind": "repair",
            "unit": addresses[index % len(addresses)],
            "description": f"第 {index} 號測試：廚房水管漏水",
            "service_unit": repair.pk,
        }
        begin = time.perf_counter()
        response = client.post("/api/v1/work-orders/", body, format="json")
        latencies.append(time.perf_counter() - begin)
        assert response.status_code == 201, response.content
    elapsed = time.perf_counter() - started
    print(f"{'orders created through the API':<56} {orders / elapsed:9.1f} orders/s")
    report("  POST /api/v1/work-orders/", latencies)

    page_through(client, "/api/v1/work-orders/?status=dispatched", api=True)
    page_through(client, "/orders/?status=dispatched", api=False)
    page_through(client, f"/orders/?status=open&service_unit={repair.pk}", api=False)
    timed_get(client, "/orders/?q=%E6%BC%8F%E6%B0%B4", "queue search 漏水 (first page)")


def page_through(client: APIClient, url: str, *, api: bool, pages: int = 20) -> None:
    """Follow the next-page links ``pages`` times and report the latency of each page."""
    latencies = []
    queries = 0
    next_url: str | None = url
    for _ in range(pages):
        if next_url is None:
            break
        begin = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(next_url)
        latencies.append(time.perf_counter() - begin)
        queries = max(queries, len(captured))
        if api:
            next_url = response.json()["next"]
        else:
            marker = "before="
            text = response.content.decode()
            at = text.find(marker)
            next_url = None if at < 0 else f"{url}&before={text[at + len(marker) :].split('"')[0]}"
    report(f"queue {url} ({queries} queries/page)", latencies)


def timed_get(client: APIClient, url: str, label: str, repeat: int = 20) -> None:
    latencies = []
    for _ in range(repeat):
        begin = time.perf_counter()
        client.get(url)
        latencies.append(time.perf_counter() - begin)
    report(label, latencies)


def fill_table(office_id: int, service_unit_id: int, user_id: int, rows: int) -> None:
    """Bulk-fill work orders with plausible variety (statuses, kinds, dates over three years)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO workorders_workorder (
                office_id, number, kind, status, priority, is_emergency, complaint_type, is_important,
                unit_id, location,
                requester_name, requester_phone, description, accountable_id, service_unit_id,
                promise_reason, held_from, hold_reason, cancel_reason, work_done, materials_used,
                fee_charged, opened_at, dispatched_at)
            SELECT %s, 'BULK-' || n, (ARRAY['repair','housekeeping','complaint','concierge'])[1 + n %% 4],
                   (ARRAY['closed','closed','closed','closed','closed','closed','replied','dispatched',
                          'in_progress','new'])[1 + n %% 10],
                   'normal', false, '', false, NULL, '公共區域 ' || (n %% 20), '', '', '歷史工單 ' || n, %s, %s,
                   '', '', '', '', '', '', 0,
                   now() - ((n %% 1095) || ' days')::interval, now() - ((n %% 1095) || ' days')::interval
            FROM generate_series(1, %s) AS n
            """,
            [office_id, user_id, service_unit_id, rows],
        )
        cursor.execute("ANALYZE workorders_workorder")
