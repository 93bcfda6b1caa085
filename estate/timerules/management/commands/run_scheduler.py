"""``manage.py run_scheduler``: fire clock warnings, breaches and escalations at their minute;
regroup common issues and send or report questionnaire rounds every quarter of an hour; flag
notices that are late.

It sleeps until the next due time (at most a minute: the safety sweep), so a 10-minute
target is warned and breached on time rather than at the next hourly run. Started with
the web server by ``manage.py serve``; several may run at once.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from estate.properties.models import Office
from estate.timerules.scheduler import next_wake, sweep
from estate.visits import common, questionnaires

REGROUP_EVERY = 15 * 60  # seconds between regroupings of common issues


class Command(BaseCommand):
    help = "Fire time-rule warnings, breaches and escalations at their due time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Sweep once (catching up) and exit."
        )

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        last_regroup = float("-inf")  # regroup at once, however long the machine has been up
        while not stopping:
            if time.monotonic() - last_regroup >= REGROUP_EVERY:
                for office in Office.objects.all():
                    common.regroup(office)
                questionnaires.sweep()
                last_regroup = time.monotonic()
            common.sweep_overdue(timezone.now())
            result = sweep()
            if result.warned or result.breached or result.escalated:
                self.stdout.write(
                    f"{timezone.now():%H:%M:%S} warned {result.warned}, breached {result.breached}, "
                    f"escalated {result.escalated}"
                )
            if once:
                return
            wait = (next_wake(timezone.now()) - timezone.now()).total_seconds()
            deadline = time.monotonic() + max(1.0, wait)
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(1.0, deadline - time.monotonic()))
