"""Messages that came in from outside, taken once: a channel that retries (WeChat three times,
a mail provider until it hears back) finds its key already kept the second time."""

from __future__ import annotations

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
