"""Messages that came in from outside, taken once: a channel that retries (WeChat three times,
a mail provider until it hears back) finds its key already kept the second time."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from estate.messaging.models import Received


def first_time(*, channel: str, key: str) -> bool:
    """Keep ``key`` as received by ``channel``; False when it already was. Call it inside the
    transaction that takes the message, so that a failure lets the retry take it."""
    try:
        with transaction.atomic():
            Received.objects.create(channel=channel, key=key[:200], at=timezone.now())
    except IntegrityError:
        return False
    return True


# Channels retry for seconds (WeChat) or a few days (a mail provider); a month is plenty.
KEPT_FOR = timedelta(days=30)


def forget_old(now: datetime) -> int:
    """Let go of the keys of messages taken more than a month ago (the scheduler's tidy-up)."""
    deleted, _rows = Received.objects.filter(at__lt=now - KEPT_FOR).delete()
    return deleted
