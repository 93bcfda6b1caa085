"""Running estate as an operator does: real processes (serve, workers, schedulers) on a database
of their own, SQLite or PostgreSQL, with the demo data loaded once per test session and copied
for each test."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.log_scan import scan_process_log

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("DATABASE_URL_TEST", "postgres://postgres@127.0.0.1:5432/estate")
SECRET = "process-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check: Callable[[], object], *, seconds: float, what: str) -> object:
    """Poll ``check`` until it returns something true; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(0.2)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


@dataclass
class App:
    """One estate installation: its environment, and the processes started for it."""

    env: dict[str, str]
    home: Path
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def manage(self, *args: str, timeout: float = 300, **extra: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **extra},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stderr}"
        return done.stdout

    def python(self, code: str) -> str:
        """Run Django code in a process of its own (as another part of the app would)."""
        return self.manage("shell", "--no-imports", "-c", code).strip()

    def start(self, *args: str, log: str, **extra: str) -> subprocess.Popen[str]:
        handle = (self.home / log).open("w")
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **extra},
            stdout=handle,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def log(self, name: str) -> str:
        return (self.home / name).read_text()

    def stop_all(self) -> None:
        for log in self.home.glob("*.log"):
            scan_process_log(log)
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def base_env(home: Path, database_url: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PGHOST")},
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(home / "media"),
        "STATIC_ROOT": str(home / "static"),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SMS_GATEWAY": "tests.gateways.RecordingGateway",
        "SMS_RECORD_FILE": str(home / "sms.tsv"),
        "LOG_LEVEL": "INFO",
    }


def children_of(pid: int) -> list[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    return [int(p) for p in found]


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


STATIC_LINK = re.compile(r'(?:src|href)="(/static/[^"]+)"')


def static_links(page: bytes) -> list[str]:
    return sorted(set(STATIC_LINK.findall(page.decode())))


# --- databases, loaded once per session -------------------------------------------------------


def _pg_admin() -> object:
    import psycopg

    url = urlsplit(PG_URL)
    return psycopg.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=3,
    )


def pg_available() -> bool:
    try:
        _pg_admin().close()  # type: ignore[attr-defined]
    except Exception:
        return False
    return True


def pg_url(name: str) -> str:
    url = urlsplit(PG_URL)
    return url._replace(path=f"/{name}").geturl()


def pg_execute(sql: str, *params: object) -> list[tuple[object, ...]]:
    with _pg_admin() as admin:  # type: ignore[attr-defined]
        cursor = admin.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture(scope="session")
def demo_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database with the demo data, to copy."""
    home = tmp_path_factory.mktemp("demo-sqlite")
    path = home / "demo.sqlite3"
    app = App(base_env(home, f"sqlite:///{path}"), home)
    app.manage("migrate", "-v", "0")
    app.manage("seed_demo")
    return path


@pytest.fixture(scope="session")
def demo_postgres() -> Iterator[str]:
    """A PostgreSQL database with the demo data, used as a template."""
    if not pg_available():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is required when CI=true")
        pytest.skip("no PostgreSQL server")
    name = f"estate_demo_{uuid.uuid4().hex[:8]}"
    pg_execute(f'CREATE DATABASE "{name}"')
    home = Path(f"/tmp/{name}")
    home.mkdir(exist_ok=True)
    app = App(base_env(home, pg_url(name)), home)
    app.manage("migrate", "-v", "0")
    app.manage("seed_demo")
    yield name
    pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def sqlite_app(demo_sqlite: Path, tmp_path: Path) -> Iterator[App]:
    path = tmp_path / "estate.sqlite3"
    shutil.copy(demo_sqlite, path)
    app = App(base_env(tmp_path, f"sqlite:///{path}"), tmp_path)
    yield app
    app.stop_all()


@pytest.fixture
def postgres_app(demo_postgres: str, tmp_path: Path) -> Iterator[App]:
    name = f"estate_run_{uuid.uuid4().hex[:8]}"
    pg_execute(f'CREATE DATABASE "{name}" TEMPLATE "{demo_postgres}"')
    app = App(base_env(tmp_path, pg_url(name)), tmp_path)
    app.env["DATABASE_NAME"] = name
    yield app
    app.stop_all()
    pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def terminate_connections(database: str) -> int:
    """What a database restart does to the app: every connection to ``database`` is cut."""
    rows = pg_execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        database,
    )
    return len(rows)
