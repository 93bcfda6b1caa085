"""The task worker (``manage.py run_worker``): runs queued tasks from django-tasks-db's table,
outlives database restarts and takes up the tasks of workers that died.

- A lost database connection is not fatal: the worker closes its connections, waits (1 s,
  doubling to 30 s) and goes on. A task that failed because the database went away is put
  back in the queue instead of being marked failed.
- A task claimed by a worker that was killed stays RUNNING in the table; after
  ``TASK_CLAIM_TIMEOUT`` seconds any worker puts it back (compare-and-set, so only one does).
  Tasks must therefore be safe to run again: every side effect that leaves the system carries
  an idempotency key (see ``estate.notifications.tasks``).
- Any number of workers may share the queue (SKIP LOCKED on PostgreSQL, exclusive
  transactions on SQLite).
"""

from __future__ import annotations

import contextlib
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.tasks.base import TaskContext, TaskResultStatus
from django.tasks.signals import task_finished, task_started
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

log = logging.getLogger("estate.worker")

DATABASE_ERRORS = (OperationalError, InterfaceError)
LONGEST_PAUSE = 30.0


def close_connections() -> None:
    """Drop every database connection so the next query opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(*DATABASE_ERRORS):
            connection.close()


def requeue_stale() -> int:
    """Put back tasks whose worker has held them longer than the claim timeout; how many."""
    cutoff = timezone.now() - timedelta(seconds=settings.TASK_CLAIM_TIMEOUT)
    stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    count = stale.update(status=TaskResultStatus.READY, started_at=None)
    if count:
        log.warning("took up %d task(s) whose worker stopped answering", count)
    return count


class Worker:
    """One worker process: claim a ready task, run it, record the result; repeat until stopped."""

    def __init__(self, *, queue: str, backend: str, interval: float, worker_id: str) -> None:
        self.queue = queue
        self.backend = backend
        self.interval = interval
        self.worker_id = worker_id
        self.running = True
        self.done = 0
        self._next_recovery = 0.0

    def stop(self) -> None:
        self.running = False

    def run(self, *, max_tasks: int | None = None, until_empty: bool = False) -> None:
        pause = 1.0
        while self.running:
            try:
                ran = self.step()
                pause = 1.0
            except DATABASE_ERRORS as error:
                log.warning("database unavailable (%s); retrying in %.0f s", error, pause)
                close_connections()
                self._sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
                continue
            if max_tasks is not None and self.done >= max_tasks:
                return
            if not ran:
                if until_empty:
                    return
                self._sleep(self.interval)

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(min(0.2, deadline - time.monotonic()))

    def step(self) -> bool:
        """Run one ready task if there is one; whether one ran."""
        if time.monotonic() >= self._next_recovery:
            requeue_stale()
            self._next_recovery = time.monotonic() + max(1.0, settings.TASK_CLAIM_TIMEOUT / 4)
        ready = DBTaskResult.objects.ready().filter(
            backend_name=self.backend, queue_name=self.queue
        )
        try:
            with exclusive_transaction(ready.db):
                claimed = ready.get_locked()
                if claimed is not None:
                    claimed.claim(self.worker_id)
        except OperationalError as error:
            if is_locked_database_exception(error):
                return False
            raise
        if claimed is None:
            return False
        self.run_task(claimed)
        self.done += 1
        return True

    def run_task(self, row: DBTaskResult) -> None:
        task = row.task
        sender = type(task.get_backend())
        result = row.task_result
        task_started.send(sender=sender, task_result=result)
        try:
            if task.takes_context:
                value = task.call(TaskContext(task_result=result), *result.args, **result.kwargs)
            else:
                value = task.call(*result.args, **result.kwargs)
        except DATABASE_ERRORS:
            # Not the task's fault: give it back to the queue, then let run() wait for the database.
            close_connections()
            DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None
            )
            raise
        except Exception as error:
            log.exception("task %s (%s) failed", row.pk, row.task_path)
            row.set_failed(error)
        else:
            row.set_successful(value)
        task_finished.send(sender=sender, task_result=row.task_result)
