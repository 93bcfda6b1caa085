"""Sending notifications: the one way any part of estate tells a staff member something."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction

from estate.notifications.messages import Message, language_of
from estate.notifications.models import Notification

# Kinds urgent enough to text the person as well as email them.
URGENT_KINDS = frozenset({"clock_warning", "clock_breach", "emergency", "agitated_visitor"})


def _queue_deliveries(notes: list[Notification]) -> None:
    """Email everyone who has an address, text urgent ones; each delivery is sent after commit."""
    from estate.notifications.models import Delivery
    from estate.notifications.tasks import deliver

    planned = []
    for note in notes:
        person = note.recipient
        planned.append(
            Delivery(
                notification=note,
                channel=Delivery.Channel.EMAIL,
                address=person.email,
                result=Delivery.Result.PENDING if person.email else Delivery.Result.SKIPPED,
            )
        )
        if note.kind in URGENT_KINDS:
            planned.append(
                Delivery(
                    notification=note,
                    channel=Delivery.Channel.SMS,
                    address=person.phone,
                    result=Delivery.Result.PENDING if person.phone else Delivery.Result.SKIPPED,
                )
            )
    created = Delivery.objects.bulk_create(planned)
    for delivery in created:
        if delivery.result == Delivery.Result.PENDING:
            transaction.on_commit(partial(deliver.enqueue, delivery.pk))


def notify(
    *,
    office_id: int,
    recipients: Iterable[Any],
    kind: str,
    text: Message | str,
    link: str = "",
    dedup_key: str = "",
) -> int:
    """Create one notification per recipient (a person named twice gets one), in the recipient's
    language (a ``Message``; a plain ``str`` is words that are the same in any language); with ``dedup_key``, each recipient gets it at most once, however often it is sent."""
    people = list({r.pk: r for r in recipients if r is not None}.values())
    words: dict[str, str] = {}

    def text_for(person: Any) -> str:
        language = language_of(person)
        if language not in words:
            words[language] = text.render(language) if isinstance(text, Message) else text
        return words[language]

    if not dedup_key:
        notes = Notification.objects.bulk_create(
            Notification(
                office_id=office_id, recipient=person, kind=kind, text=text_for(person), link=link
            )
            for person in people
        )
        _queue_deliveries(notes)
        return len(notes)
    notes = []
    for person in people:
        try:
            with transaction.atomic():  # a duplicate must not spoil the caller's transaction
                notes.append(
                    Notification.objects.create(
                        office_id=office_id,
                        recipient=person,
                        kind=kind,
                        text=text_for(person),
                        link=link,
                        dedup_key=dedup_key,
                    )
                )
        except IntegrityError:
            continue
    _queue_deliveries(notes)
    return len(notes)
