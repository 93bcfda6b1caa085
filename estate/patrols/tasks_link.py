"""The one place where a patrol touches its planned task (``planned.PlannedTask``).

``estate.planned.actions.complete_task`` is built in the planned app; until it reaches this
branch, ``complete_patrol`` closes the task itself with the same compare-and-set update the
scheduler's sweeps use (open → done), so a patrol completed twice, or one the sweep has just
marked missed, is not touched again. The integrator switches the body to ``complete_task``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from estate.planned.choices import TaskStatus
from estate.planned.models import PlannedTask


def complete_patrol(task: PlannedTask, *, by: Any, at: datetime) -> bool:
    """Mark the patrol's task done by ``by`` at ``at``; whether this call did it."""
    done = PlannedTask.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE, done_at=at, done_by=by
    )
    if done:
        task.status, task.done_at, task.done_by = TaskStatus.DONE, at, by
    return bool(done)
