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
    people = list({r.pk: r for r in recipients if r is not None}.values())
    if not dedup_key:
        Notification.objects.bulk_create(
            Notification(office_id=office_id, recipient=person, kind=kind, text=text, link=link)
            for person in people
        )
        return len(people)
    sent = 0
    for person in people:
        try:
            with transaction.atomic():  # a duplicate must not spoil the caller's transaction
                Notification.objects.create(
                    office_id=office_id,
                    recipient=person,
                    kind=kind,
                    text=text,
                    link=link,
                    dedup_key=dedup_key,
                )
            sent += 1
        except IntegrityError:
            continue
    return sent
