"""Delivering notifications by email and SMS in the background (django.tasks; run by run_worker).

A delivery is claimed (pending → being sent) and that claim is committed before the provider
is called, so two workers never both send it. A worker killed mid-send leaves the claim behind;
once it is older than ``TASK_CLAIM_TIMEOUT`` the task runs again and sends with the same
idempotency key, which the provider (or the gateway) sends at most once.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from estate.messaging.choices import Kind
from estate.messaging.sms import DeliveryFailed, compose, sms_gateway
from estate.notifications.models import Delivery, Notification


def _full(link: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{link}" if link else ""


def sms_text(note: Notification) -> str:
    """The words, and the link in full: in a text the link is the one-tap way to act."""
    if not note.link:
        return note.text
    return f"{note.text} {_full(note.link)}"


@task()
def deliver(delivery_id: int) -> str:
    """Send one delivery once; the result (sent, failed) is stored on it."""
    now = timezone.now()
    abandoned = now - timedelta(seconds=settings.TASK_CLAIM_TIMEOUT)
    claimed = Delivery.objects.filter(
        Q(result=Delivery.Result.PENDING)
        | Q(result=Delivery.Result.SENDING, attempted_at__lt=abandoned),
        pk=delivery_id,
    ).update(result=Delivery.Result.SENDING, attempted_at=now)
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    if not claimed:
        if delivery.result == Delivery.Result.SENDING and delivery.attempted_at is not None:
            # Claimed by a worker that died a moment ago: look again when its claim has expired.
            deliver.using(
                run_after=delivery.attempted_at + timedelta(seconds=settings.TASK_CLAIM_TIMEOUT + 1)
            ).enqueue(delivery_id)
        return delivery.result
    note = delivery.notification
    try:
        if delivery.channel == Delivery.Channel.EMAIL:
            EmailMessage(
                subject=note.text[:60],
                body=f"{note.text}\n\n{settings.SITE_URL.rstrip('/')}{note.link}",
                to=[delivery.address],
                # Many mail systems drop a second copy with a Message-ID they have seen.
                headers={"Message-ID": f"<{delivery.idempotency_key}@estate>"},
            ).send()
            delivery.provider_id = ""
        else:
            delivery.provider_id = sms_gateway().send(
                compose(
                    office_id=note.office_id,
                    kind=Kind.STAFF_ALERT,
                    phone=delivery.address,
                    text=sms_text(note),
                    values={"text": note.text, "link": _full(note.link)},
                    key=delivery.idempotency_key,
                )
            )
        delivery.result = Delivery.Result.SENT
    except (DeliveryFailed, OSError) as failure:
        delivery.result = Delivery.Result.FAILED
        delivery.error = str(failure)[:300]
    delivery.save(update_fields=["result", "provider_id", "error"])
    return delivery.result
