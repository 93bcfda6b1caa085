"""The one place where a patrol touches its planned task (``planned.PlannedTask``): the route
walked completes it through the planned app's own action."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError

from estate.planned.actions import complete_task
from estate.planned.models import PlannedTask


def complete_patrol(task: PlannedTask, *, by: Any, at: datetime) -> bool:
    """Mark the patrol's task done by ``by`` at ``at``; whether this call did it (a task done
    already, or a route plan that also has a checklist, is left to its own page)."""
    try:
        done = complete_task(task, by=by, at=at)
    except ValidationError:
        return False
    task.status, task.done_at, task.done_by = done.status, done.done_at, done.done_by
    return True
