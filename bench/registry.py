"""Registry benchmarks: demo data build, roster export and re-import, list pages and API."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.timing import timed


def main() -> int:
    timed("seed_demo, empty database (2,822 units)", lambda: call_command("seed_demo", verbosity=0))
    timed("seed_demo, second run (nothing to do)", lambda: call_command("seed_demo", verbosity=0))

    from estate.core.tables import read_table
    from estate.properties import actions
    from estate.properties.models import Office, Resident
    from estate.properties.roster import parse_roster

    client = Client()
    client.login(username="head", password=settings.DEMO_PASSWORD)
    office = Office.objects.get(code="BSW")
    exported: dict[str, bytes] = {}

    def export(file_format: str) -> None:
        response = client.get(f"/registry/roster/export.{file_format}", {"office": office.pk})
        assert response.status_code == 200
        exported[file_format] = response.content

    rows = Resident.objects.filter(office=office).count()
    timed(f"roster export XLSX ({rows:,} resident rows)", lambda: export("xlsx"), repeat=3)
    timed(f"roster export CSV ({rows:,} resident rows)", lambda: export("csv"), repeat=3)

    def reimport(file_format: str) -> None:
        parsed = parse_roster(read_table(f"roster.{file_format}", exported[file_format]))
        actions.import_roster(office=office, roster=parsed)

    timed("roster re-import XLSX (no changes)", lambda: reimport("xlsx"), repeat=3)
    timed("roster re-import CSV (no changes)", lambda: reimport("csv"), repeat=3)

    client.login(username="reception", password=settings.DEMO_PASSWORD)
    for label, url in [
        ("unit list, first page", "/registry/units/"),
        ("unit list, search by name", "/registry/units/?q=%E9%A6%AC"),
        ("unit list, search by address", "/registry/units/?q=3-12"),
        ("resident list, page 20", "/registry/residents/?page=20"),
        ("API units, first page", "/api/v1/units/"),
    ]:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timed(f"{label} ({len(queries)} queries)", partial(client.get, url), repeat=20)
    return 0
