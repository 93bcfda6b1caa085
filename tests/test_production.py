"""estate as an operator runs it: DEBUG off, real processes, databases that restart, processes
that are killed, several schedulers and workers at once, backups restored into a fresh database."""

from __future__ import annotations

import os
import re
import signal
import time
from collections import Counter

import pytest
from django.conf import settings

from tests.gateways import calls
from tests.processes import (
    App,
    children_of,
    command_of,
    fetch,
    free_port,
    pg_execute,
    pg_url,
    static_links,
    terminate_connections,
    wait_for,
)

# Urgent notifications (texted) to every demo staff member with a phone, ``times`` over; the SMS
# deliveries' idempotency keys, one a line.
NOTIFY_STAFF = """
from django.db.models import Max
from estate.accounts.models import User
from estate.notifications.actions import notify
from estate.notifications.models import Delivery
from estate.properties.models import Office
office = Office.objects.get(code="BSW")
people = list(User.objects.filter(staff_roles__isnull=False).exclude(phone="").distinct())
before = Delivery.objects.aggregate(last=Max("pk"))["last"] or 0
for n in range({times}):
    notify(office_id=office.pk, recipients=people, kind="emergency", text=f"演練 {{n}}")
texts = Delivery.objects.filter(channel="sms", pk__gt=before).exclude(result="skipped")
print(" ".join(d.idempotency_key for d in texts))
"""

DELIVERIES_LEFT = """
from estate.notifications.models import Delivery
print(Delivery.objects.filter(result__in=["pending", "sending"]).count())
"""

TASKS_BY_STATUS = """
from django_tasks_db.models import DBTaskResult
print(" ".join(sorted(set(DBTaskResult.objects.values_list("status", flat=True)))))
"""


# These tests start their own processes on databases of their own: once is enough, in the
# SQLite run (where PostgreSQL is used directly for the PostgreSQL cases).
pytestmark = pytest.mark.skipif(
    "postgresql" in settings.DATABASES["default"]["ENGINE"],
    reason="process tests run once, in the SQLite run",
)

ACTIVITY = "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"


def serve(app: App) -> tuple[str, int]:
    port = free_port()
    server = app.start("serve", "--port", str(port), log="serve.log")
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: fetch(base + "/healthz")[0] == 200, seconds=120, what="/healthz to answer")
    return base, server.pid


def child(server_pid: int, command: str) -> int:
    """The one child of ``serve`` running ``command`` (waiting while it is being started again)."""

    def found() -> list[int]:
        return [p for p in children_of(server_pid) if command in command_of(p)]

    pids = wait_for(lambda: found() if len(found()) == 1 else [], seconds=30, what=command)
    return pids[0]  # type: ignore[index]


def test_debug_off_collects_static_files_and_serves_every_asset_it_links(sqlite_app):
    base, _server = serve(sqlite_app)
    for page in ("/accounts/login/", "/portal/sign-in/"):
        status, body = fetch(base + page)
        assert status == 200, page
        links = static_links(body)
        assert len(links) >= 3, page
        for link in links:
            assert re.search(r"\.[0-9a-f]{12}\.\w+$", link), f"{link} is not from the manifest"
            assert fetch(base + link)[0] == 200, link
    status, body = fetch(base + "/healthz")
    assert (status, body) == (200, b"ok\n")


def test_a_killed_process_is_started_again_and_named_in_the_log(sqlite_app):
    base, server = serve(sqlite_app)
    for command in ("run_worker", "run_scheduler", "gunicorn"):
        victim = child(server, command)
        os.kill(victim, signal.SIGKILL)
        wait_for(
            lambda c=command, v=victim: [
                p for p in children_of(server) if c in command_of(p) and p != v
            ],
            seconds=30,
            what=f"{command} to be started again",
        )
        assert re.search(
            rf"\(pid {victim}\) exited with code -9; starting it again", sqlite_app.log("serve.log")
        )
    wait_for(lambda: fetch(base + "/healthz")[0] == 200, seconds=60, what="the web server")
    os.kill(server, signal.SIGTERM)
    assert sqlite_app.processes[0].wait(timeout=30) == 0


@pytest.mark.postgres
def test_web_worker_and_scheduler_outlive_a_database_restart(postgres_app):
    app = postgres_app
    base, server = serve(app)
    before = sorted(children_of(server))
    wait_for(
        lambda: len(pg_execute(ACTIVITY, app.env["DATABASE_NAME"])) >= 3,
        seconds=30,
        what="web, worker and scheduler to connect",
    )
    assert terminate_connections(app.env["DATABASE_NAME"]) >= 3
    for _ in range(2):  # and again while they reconnect
        time.sleep(1.5)
        fetch(base + "/healthz")
        terminate_connections(app.env["DATABASE_NAME"])
    wait_for(lambda: fetch(base + "/healthz")[0] == 200, seconds=30, what="the web server")
    assert fetch(base + "/accounts/login/")[0] == 200
    (key,) = app.python(NOTIFY_STAFF.format(times=1)).split()[:1]
    record = app.home / "sms.tsv"
    wait_for(lambda: key in {k for k, _ in calls(record)}, seconds=60, what="the worker to send")
    clock = app.python(
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from estate.timerules.models import Clock\n"
        "c = Clock.objects.filter(state='running').order_by('due_at').first()\n"
        "Clock.objects.filter(pk=c.pk).update(due_at=timezone.now() + timedelta(seconds=1))\n"
        "print(c.pk)"
    )
    state = f"from estate.timerules.models import Clock\nprint(Clock.objects.get(pk={clock}).state)"
    wait_for(lambda: app.python(state) == "breached", seconds=60, what="the scheduler to fire")
    assert sorted(children_of(server)) == before  # none of them died on the way
    assert "Traceback" not in app.log("serve.log")


def test_a_task_whose_worker_was_killed_is_taken_up_and_sent_once(sqlite_app):
    app = sqlite_app
    keys = app.python(NOTIFY_STAFF.format(times=2)).split()
    assert len(keys) >= 10
    record = app.home / "sms.tsv"
    first = app.start(
        "run_worker", log="worker-1.log", SMS_SEND_SECONDS="0.4", TASK_CLAIM_TIMEOUT="5"
    )
    wait_for(lambda: len(calls(record)) >= 3, seconds=60, what="the first sends")
    time.sleep(0.2)  # in the middle of the next send
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    assert len(calls(record)) < len(keys)
    app.start("run_worker", log="worker-2.log", TASK_CLAIM_TIMEOUT="5")
    wait_for(lambda: app.python(DELIVERIES_LEFT) == "0", seconds=90, what="every delivery")
    # the orphaned task was run again and none failed
    wait_for(lambda: app.python(TASKS_BY_STATUS) == "SUCCESSFUL", seconds=30, what="every task")
    accepted = Counter(key for key, verdict in calls(record) if verdict == "accepted")
    assert set(keys) <= set(accepted)  # the demo's own queued texts go out too
    assert set(accepted.values()) == {1}  # each text went out exactly once
    assert "took up 1 task(s) whose worker stopped answering" in app.log("worker-2.log")


PREPARE_BREACHES = """
from datetime import timedelta
from django.utils import timezone
from estate.accounts.models import User
from estate.properties.models import Office
from estate.timerules.models import Clock
from estate.workorders.actions import open_work_order
office = Office.objects.get(code="BSW")
by = User.objects.get(username="reception")
orders = [
    open_work_order(office=office, by=by, channel="desk", kind="complaint",
                    description=f"夜間噪音 {n}", location="3棟大堂", dispatch_now=False).pk
    for n in range(30)
]
now = timezone.now()
clocks = list(Clock.objects.filter(work_order_id__in=orders, state="running").order_by("pk"))
for n, clock in enumerate(clocks):
    due = now + timedelta(seconds=n % 12 - 4)  # some already past when the schedulers start
    Clock.objects.filter(pk=clock.pk).update(due_at=due, warn_at=due)
print(" ".join(str(c.pk) for c in clocks))
"""

BREACH_REPORT = """
from datetime import datetime
from estate.notifications.models import Notification
from estate.timerules.models import Clock
ids = [{ids}]
started = datetime.fromisoformat("{started}")
clocks = Clock.objects.filter(pk__in=ids)
left = clocks.filter(state="running").count()
late = []
for clock in clocks.filter(state="breached"):
    first = Notification.objects.filter(dedup_key=f"clock:{{clock.pk}}:breach:1").order_by("created_at").first()
    late.append((first.created_at - max(clock.due_at, started)).total_seconds() if first else 999)
print(left, max(late or [999]))
"""

DUPLICATES = """
from django.db.models import Count
from estate.notifications.models import Notification
print(Notification.objects.exclude(dedup_key="").values("recipient", "dedup_key").annotate(n=Count("id")).filter(n__gt=1).count())
"""


@pytest.mark.postgres
def test_two_schedulers_and_two_workers_fire_every_breach_once_and_on_time(postgres_app):
    app = postgres_app
    ids = app.python(PREPARE_BREACHES).split()
    for n in (1, 2):
        app.start("run_scheduler", log=f"scheduler-{n}.log")
        app.start("run_worker", log=f"worker-{n}.log")
    wait_for(
        lambda: all("scheduler started" in app.log(f"scheduler-{n}.log") for n in (1, 2)),
        seconds=60,
        what="both schedulers",
    )
    # Deadlines that passed before the schedulers were up count from when they were (the
    # processes' clock: this one may be moved by TEST_TODAY).
    started = app.python("from django.utils import timezone\nprint(timezone.now().isoformat())")
    report = BREACH_REPORT.format(ids=", ".join(ids), started=started)
    wait_for(lambda: app.python(report).split()[0] == "0", seconds=90, what="every breach")
    wait_for(lambda: app.python(DELIVERIES_LEFT) == "0", seconds=90, what="every delivery")
    _left, latest = app.python(report).split()
    assert float(latest) <= 5.0, f"a breach was fired {latest} s after its deadline"
    assert app.python(DUPLICATES) == "0"
    verdicts = [verdict for _key, verdict in calls(app.home / "sms.tsv")]
    assert verdicts
    assert set(verdicts) == {"accepted"}  # no text was sent twice
    assert all(p.poll() is None for p in app.processes)  # none crashed
    for n in (1, 2):
        assert "Traceback" not in app.log(f"scheduler-{n}.log") + app.log(f"worker-{n}.log")


COUNTS = """
from estate.billing.models import Payment, Statement
from estate.workorders.models import WorkOrder
print(WorkOrder.objects.count(), Statement.objects.count(), Payment.objects.count(),
      sorted(WorkOrder.objects.values_list("number", flat=True))[:3])
"""


def _backup_and_restore(app: App, fresh_url: str) -> None:
    (app.home / "media" / "workorders").mkdir(parents=True, exist_ok=True)
    (app.home / "media" / "workorders" / "photo.jpg").write_bytes(b"\xff\xd8\xff photo")
    counts = app.python(COUNTS)
    assert not counts.startswith("0 ")
    archive = app.manage("backup", "--to", str(app.home / "backups")).strip()
    fresh = app.home / "fresh"
    restored = App(
        {**app.env, "DATABASE_URL": fresh_url, "MEDIA_ROOT": str(fresh / "media")}, app.home
    )
    restored.manage("restore", archive, "--yes")
    assert restored.python(COUNTS) == counts
    assert (fresh / "media" / "workorders" / "photo.jpg").read_bytes() == b"\xff\xd8\xff photo"


def test_a_sqlite_backup_restores_into_a_fresh_database(sqlite_app):
    _backup_and_restore(sqlite_app, f"sqlite:///{sqlite_app.home / 'fresh.sqlite3'}")


@pytest.mark.postgres
def test_a_postgresql_backup_restores_into_a_fresh_database(postgres_app):
    name = postgres_app.env["DATABASE_NAME"] + "_restored"
    pg_execute(f'CREATE DATABASE "{name}"')
    try:
        _backup_and_restore(postgres_app, pg_url(name))
    finally:
        pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_health_says_503_when_the_database_does_not_answer(sqlite_app, tmp_path):
    app = App(
        {**sqlite_app.env, "DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/x.sqlite3"}, tmp_path
    )
    done = app.python(
        "from django.test import Client\n"
        "r = Client().get('/healthz', HTTP_HOST='127.0.0.1')\n"
        "print(r.status_code, r.content.decode().strip(), r.headers['Cache-Control'])"
    )
    assert done.startswith("503 database unavailable")
    assert "no-cache" in done
