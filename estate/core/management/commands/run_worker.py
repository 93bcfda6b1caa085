"""``manage.py run_worker``: run queued background tasks (SMS, email) until stopped.

Survives database restarts and takes up tasks of workers that died (``estate.core.worker``).
Started with the web server by ``manage.py serve``; any number may run at once.
"""

from __future__ import annotations

import logging
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string

from estate.core.worker import Worker

log = logging.getLogger("estate.worker")


class Command(BaseCommand):
    help = "Run queued background tasks; survive database restarts; take up dead workers' tasks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", default="default")
        parser.add_argument("--backend", default="default")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument(
            "--until-empty", action="store_true", help="Stop when no task is ready."
        )

    def handle(
        self,
        *args: Any,
        queue: str,
        backend: str,
        interval: float,
        max_tasks: int | None,
        until_empty: bool,
        **options: Any,
    ) -> None:
        worker = Worker(
            queue=queue, backend=backend, interval=interval, worker_id=get_random_string(32)
        )

        def stop(*_: Any) -> None:
            log.info("stopping after the current task")
            worker.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        log.info("worker %s takes tasks from queue %r", worker.worker_id, queue)
        worker.run(max_tasks=max_tasks, until_empty=until_empty)
