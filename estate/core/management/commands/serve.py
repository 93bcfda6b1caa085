"""Serve the web app, the task worker and the clock scheduler together, restarting any that dies;
Ctrl-C stops them all."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext

from estate.core.supervisor import Child, Supervisor

DEMO_LOGINS = (
    "reception", "manager", "head", "repair_lead", "clean_lead", "worker",
    "cashier", "leader", "admin", "campus_desk", "resident",
)  # fmt: skip


def demo_resident_phone() -> str:
    """The number the demo resident signs in with: that of the resident the ``resident`` login
    belongs to, as seeded in this database (empty when there is none)."""
    from estate.demo import RESIDENT_USERNAME
    from estate.properties.models import Resident

    phone = (
        Resident.objects.filter(user__username=RESIDENT_USERNAME)
        .values_list("phone", flat=True)
        .first()
    )
    return phone or ""


def banner(host: str, port: int, *, on_a_terminal: bool = True) -> str:
    """What ``make run`` says once it serves: where, the demo logins and how to sign in, the
    resident (in the portal, by phone number) included. The number is said to a person at a
    terminal only: written to a file or a journal it would be a phone number in a log."""
    lines = [
        f"Demo logins: {', '.join(DEMO_LOGINS)}; password: {settings.DEMO_PASSWORD}",
    ]
    phone = demo_resident_phone() if on_a_terminal else ""
    if phone:
        lines.append(
            gettext(
                "The demo resident signs in at http://%(host)s:%(port)s/portal/sign-in/ with "
                "the phone number %(phone)s and the same password."
            )
            % {"host": host, "port": port, "phone": phone}
        )
    lines.append("Press Ctrl-C to stop the web server, the worker and the scheduler.\n")
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Run the web server, the task worker and the time-rule scheduler, restarting any that dies."
    )

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
                "--graceful-timeout",
                "10",
                # One line a request, by path only: a query string or a referrer may carry
                # personal data (a number searched for), and logs must not keep it.
                "--access-logfile",
                "-",
                "--access-logformat",
                '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
            ]
        worker = [*manage, "run_worker"]
        scheduler = [*manage, "run_scheduler"]
        supervisor = Supervisor(
            [Child("web", web), Child("worker", worker), Child("scheduler", scheduler)]
        )
        self.stdout.write(self.style.SUCCESS(f"\nestate is running on http://{host}:{port}/"))
        self.stdout.write(banner(host, port, on_a_terminal=self.stdout.isatty()))
        supervisor.run()
