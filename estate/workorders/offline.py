"""Steps done without signal (地下室、機房): the phone keeps the step with the time it was done
and sends it when back. The server takes that time, within bounds, and still decides whether
the step is allowed now (``policy``, the transition table): a queued step that no longer is
allowed is refused, and the phone tells the worker.

Only the field steps may be queued (accept, work started on scene, a photo, completion); the
time must not be ahead of ours (beyond a phone's clock drift) nor older than a shift and a
half, and a step is never put before the order's last change of status (it is recorded at
that change). The event keeps when it reached us (``received_at`` in its data)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from estate.workorders.choices import Action
from estate.workorders.models import WorkOrder

# The header the phone's script sends a queued step with (``static/estate/field.js``).
QUEUED_HEADER = "X-Estate-Queued"
QUEUEABLE = frozenset({Action.ACCEPT, Action.START, Action.ATTACH, Action.COMPLETE})
CLOCK_DRIFT = timedelta(minutes=5)
OLDEST = timedelta(hours=36)


def done_at(value: str, action: str, order: WorkOrder, now: datetime) -> datetime | None:
    """When a queued step was done (None: not queued, it is done now)."""
    value = (value or "").strip()
    if not value:
        return None
    if action not in QUEUEABLE:
        raise ValidationError({"done_at": _("This step cannot be done without signal.")})
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValidationError({"done_at": _("The time the step was done is not a time.")})
    if moment > now + CLOCK_DRIFT:
        raise ValidationError(
            {"done_at": _("The phone's clock is ahead: set its time, then send again.")}
        )
    if moment < now - OLDEST:
        raise ValidationError(
            {"done_at": _("This step was kept on the phone for too long; record it again.")}
        )
    last_change = (
        order.events.exclude(to_status="").order_by("-at").values_list("at", flat=True).first()
    )
    if last_change is not None and moment < last_change:
        return last_change
    return min(moment, now)
