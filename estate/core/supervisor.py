"""Keeping a few child processes alive: the web server, the task worker and the scheduler.

A child that dies is started again after a pause that doubles on each quick death (1 s up to a
minute) and starts again from one second once a child has stayed up for a minute; every death
and restart is logged with the child's name and exit code. SIGINT or SIGTERM stops them all.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("estate.supervisor")

FIRST_PAUSE = 1.0
LONGEST_PAUSE = 60.0
STAYED_UP = 60.0  # a child that ran this long is healthy again: its next restart is quick
STOP_GRACE = 10.0


@dataclass
class Child:
    """One supervised process: its name in the log and the command that starts it."""

    name: str
    argv: Sequence[str]
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    pause: float = FIRST_PAUSE
    restart_at: float | None = None
    restarts: int = field(default=0)

    def start(self) -> None:
        self.process = subprocess.Popen(list(self.argv))
        self.started = time.monotonic()
        self.restart_at = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None


class Supervisor:
    """Start the children, restart any that dies, stop them all on a signal."""

    def __init__(self, children: Sequence[Child]) -> None:
        self.children = list(children)
        self.stopping = False

    def _stop(self, *_: Any) -> None:
        self.stopping = True

    def run(self, *, poll: float = 0.5) -> None:
        # Explicit handlers: a shell that starts us in the background may have set SIGINT to "ignore".
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for child in self.children:
            child.start()
        try:
            while not self.stopping:
                self.tend(time.monotonic())
                time.sleep(poll)
        finally:
            self.stop_all()

    def tend(self, now: float) -> None:
        """Notice children that died and start those whose pause is over."""
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    log.warning("restarting %s (restart %d)", child.name, child.restarts + 1)
                    child.restarts += 1
                    child.start()
                continue
            code = child.process.poll() if child.process is not None else None
            if code is None:
                continue
            if now - child.started >= STAYED_UP:
                child.pause = FIRST_PAUSE
            log.error(
                "%s (pid %s) exited with code %s; starting it again in %.0f s",
                child.name,
                child.pid,
                code,
                child.pause,
            )
            child.restart_at = now + child.pause
            child.pause = min(child.pause * 2, LONGEST_PAUSE)

    def stop_all(self) -> None:
        running = [c.process for c in self.children if c.process and c.process.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + STOP_GRACE
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
