"""``manage.py run_scheduler``: fire clock warnings, breaches and escalations at their minute;
regroup common issues and send or report questionnaire rounds every quarter of an hour; flag
notices that are late; hand planned interruptions to be told to the worker when their time comes;
open the planned tasks that fall due and mark those not done in their window as missed.

It sleeps until the next due time (at most 15 seconds: the safety sweep), so a 10-minute
target is warned and breached on time rather than at the next hourly run; what fell due while
it swept is swept at once. Started with the web server by ``manage.py serve``; any number may
run at once (every step is a compare-and-set, the regrouping holds a lock per office). A lost
database connection is waited out (1 s, doubling to 30 s), not fatal.
"""

from __future__ import annotations

import logging
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from estate.core.worker import DATABASE_ERRORS, LONGEST_PAUSE, close_connections
from estate.messaging import received, sending
from estate.notices import interruptions
from estate.onlinepay import actions as online_payments
from estate.planned import actions as planned_work
from estate.portal import pending
from estate.properties.models import Office
from estate.timerules.scheduler import next_wake, sweep
from estate.visits import common, questionnaires

log = logging.getLogger("estate.scheduler")

REGROUP_EVERY = 15 * 60  # seconds between regroupings of common issues


class Command(BaseCommand):
    help = "Fire time-rule warnings, breaches and escalations at their due time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Sweep once (catching up) and exit."
        )

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        self.stopping = False

        def stop(*_: Any) -> None:
            self.stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.last_regroup = float("-inf")  # regroup at once, however long the machine has been up
        pause = 1.0
        log.info("scheduler started")
        while not self.stopping:
            try:
                wait = self.tick()
                pause = 1.0
            except DATABASE_ERRORS as error:
                log.warning("database unavailable (%s); retrying in %.0f s", error, pause)
                close_connections()
                wait, pause = pause, min(pause * 2, LONGEST_PAUSE)
            if once:
                return
            deadline = time.monotonic() + wait
            while not self.stopping and time.monotonic() < deadline:
                time.sleep(min(1.0, deadline - time.monotonic()))

    def tick(self) -> float:
        """One round of work; the seconds until the next is due."""
        if time.monotonic() - self.last_regroup >= REGROUP_EVERY:
            for office in Office.objects.all():
                common.regroup(office)
            questionnaires.sweep()
            received.forget_old(timezone.now())  # keys of messages taken a month ago
            pending.forget_old(timezone.now())  # photos of reports never sent again
            online_payments.reconcile_yesterday(timezone.now())  # once a day, after 10:00
            self.last_regroup = time.monotonic()
        swept_at = timezone.now()
        common.sweep_overdue(swept_at)
        messages_due = sending.sweep(swept_at)  # held for quiet hours, backed off, abandoned
        interruptions_due = interruptions.tell_due_interruptions(swept_at)
        payments_due = online_payments.expire_due(swept_at)  # started, never paid, past their time
        # Missed first: a task whose window passed frees its plan to open the next occurrence.
        tasks_missed = planned_work.mark_missed(swept_at)
        planned = planned_work.open_due_tasks(swept_at)
        result = sweep(swept_at)
        if result.warned or result.breached or result.escalated:
            self.stdout.write(
                f"{timezone.now():%H:%M:%S} warned {result.warned}, breached {result.breached}, "
                f"escalated {result.escalated}"
            )
        if (
            result.more
            or messages_due >= sending.BATCH
            or interruptions_due >= interruptions.BATCH
            or payments_due >= online_payments.BATCH
            or tasks_missed >= planned_work.BATCH
            or planned.more
        ):
            return 0.0
        return max(0.0, (next_wake(swept_at) - timezone.now()).total_seconds())
