"""Sending notifications: the one way any part of estate tells a staff member something."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from estate.notifications.models import Notification


def notify(
    *,
    office_id: int,
    recipients: Iterable[Any],
    kind: str,
    text: str,
    link: str = "",
    dedup_key: str = "",
) -> int:
    """Create one notification per recipient; with ``dedup_key``, each recipient gets it at most once."""
    sent = 0
    for recipient in {r.pk: r for r in recipients if r is not None}.values():
        try:
            with transaction.atomic():
                Notification.objects.create(
                    office_id=office_id,
                    recipient=recipient,
                    kind=kind,
                    text=text,
                    link=link,
                    dedup_key=dedup_key,
                )
            sent += 1
        except IntegrityError:
            if not dedup_key:
                raise
    return sent
