"""A bill run killed in the middle (SIGKILL, as a crash or a power cut would) leaves no
half-issued statement, and running it again finishes the rest."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(database, *args, **popen):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "estate.settings", "DEBUG": "true",
           "DATABASE_URL": f"sqlite:///{database}", "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}  # fmt: skip
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    if popen:
        return subprocess.Popen(command, env=env, cwd=ROOT, **popen)
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True)


def count(database, sql):
    with sqlite3.connect(database, timeout=30) as db:
        return db.execute(sql).fetchone()[0]


def test_killed_in_the_middle_then_finished(tmp_path):
    database = tmp_path / "crash.sqlite3"
    manage(database, "migrate", "-v", "0")
    manage(database, "seed_demo", "-v", "0")
    expected = int(
        manage(
            database, "bill_run", "--office", "BSW", "--quarter", "2026Q4", "--preview"
        ).stdout.split()[0]
    )
    run = manage(
        database, "bill_run", "--office", "BSW", "--quarter", "2026Q4", "--batch", "1",
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    written = 0
    while time.monotonic() < deadline and run.poll() is None:
        try:
            written = count(database, "select count(*) from billing_statement")
        except sqlite3.OperationalError:
            written = 0  # the table is being written; ask again
        if written >= 50:
            break
        time.sleep(0.01)
    run.send_signal(signal.SIGKILL)
    run.wait()
    written = count(database, "select count(*) from billing_statement")
    assert 0 < written < expected, "the run must be caught in the middle"
    # Every statement that exists is whole: its lines add up to its total.
    broken = count(
        database,
        "select count(*) from billing_statement s where s.total != "
        "(select coalesce(sum(l.amount), -1) from billing_statementline l where l.statement_id = s.id)",
    )
    assert broken == 0
    assert count(database, "select status from billing_billrun") == "running"

    finished = manage(database, "bill_run", "--office", "BSW", "--quarter", "2026Q4")
    assert finished.stdout.strip() == f"{expected} statements issued for 2026Q4"
    assert count(database, "select count(*) from billing_statement") == expected
    assert count(database, "select count(distinct unit_id) from billing_statement") == expected
    assert count(database, "select status from billing_billrun") == "issued"
