"""Serve the web app, the task worker and the clock scheduler together; Ctrl-C stops them all."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

DEMO_LOGINS = (
    "reception", "manager", "head", "repair_lead", "clean_lead", "worker",
    "cashier", "leader", "admin", "campus_desk", "resident",
)  # fmt: skip


class Command(BaseCommand):
    help = "Run the web server, the task worker and the time-rule scheduler until interrupted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, port: int, host: str, **options: Any) -> None:
        manage = [sys.executable, "manage.py"]
        if settings.DEBUG:
            web = [*manage, "runserver", f"{host}:{port}", "--noreload"]
        else:
            subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], check=True)
            web = [
                sys.executable,
                "-m",
                "gunicorn",
                "estate.wsgi",
                "-b",
                f"{host}:{port}",
                "-w",
                "2",
            ]
        children = [
            subprocess.Popen(web),
            subprocess.Popen([*manage, "db_worker", "--queue-name", "default", "--no-reload"]),
            subprocess.Popen([*manage, "run_scheduler"]),
        ]
        self.stdout.write(self.style.SUCCESS(f"\nestate is running on http://{host}:{port}/"))
        self.stdout.write(
            f"Demo logins: {', '.join(DEMO_LOGINS)}; password: {settings.DEMO_PASSWORD}"
        )
        self.stdout.write("Press Ctrl-C to stop the web server, the worker and the scheduler.\n")

        def stop(*_: Any) -> None:
            raise KeyboardInterrupt

        # Explicit handlers: a shell that starts us in the background may have set SIGINT to "ignore".
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        exit_code = 0
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            exit_code = 1  # one of them died on its own: stop the other and say so
            self.stderr.write("A process stopped unexpectedly; stopping the others.")
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        if exit_code:
            sys.exit(exit_code)
