"""`manage.py serve` (what `make run` starts): the web server, the task worker and the scheduler, stopped together."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_serve_answers_and_stops_everything_it_started(tmp_path, stop_signal):
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                status = urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=2
                ).status
            except OSError:
                time.sleep(0.5)
        assert status == 200
        children = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        assert len(children) == 3  # web server, task worker, scheduler
        server.send_signal(stop_signal)
        assert server.wait(timeout=30) == 0
        time.sleep(1)
        still = [
            pid
            for pid in children
            if Path(f"/proc/{pid}").exists()
            and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
        ]
        assert still == []
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
