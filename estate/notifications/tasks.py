"""Delivering notifications by email and SMS in the background (django.tasks; run by db_worker)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from estate.notifications.gateways import DeliveryFailed, sms_gateway
from estate.notifications.models import Delivery


@task()
def deliver(delivery_id: int) -> str:
    """Send one delivery once: claim it (pending → being sent) so two workers never both send it."""
    with transaction.atomic():
        claimed = Delivery.objects.filter(pk=delivery_id, result=Delivery.Result.PENDING).update(
            attempted_at=timezone.now()
        )
        delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
        if not claimed or delivery.result != Delivery.Result.PENDING:
            return delivery.result
        note = delivery.notification
        try:
            if delivery.channel == Delivery.Channel.EMAIL:
                send_mail(
                    subject=note.text[:60],
                    message=f"{note.text}\n\n{settings.SITE_URL.rstrip('/')}{note.link}",
                    from_email=None,
                    recipient_list=[delivery.address],
                )
                delivery.provider_id = ""
            else:
                delivery.provider_id = sms_gateway().send(delivery.address, note.text)
            delivery.result = Delivery.Result.SENT
        except (DeliveryFailed, OSError) as failure:
            delivery.result = Delivery.Result.FAILED
            delivery.error = str(failure)[:300]
        delivery.save(update_fields=["result", "provider_id", "error"])
    return delivery.result
