"""Sending deliveries (django.tasks; run by run_worker), each at most once.

A delivery is claimed (pending → being sent) and the claim committed before the provider is
called, so two workers never both send it; a worker killed mid-send leaves the claim, and once
it is older than ``TASK_CLAIM_TIMEOUT`` the sweep sends again with the same idempotency key,
which the provider sends at most once. A failure that may pass (an outage, a rate limit) is
tried again after 1, 5, 15, 60 and 240 minutes; then, or at once for one that will not pass,
the delivery fails and the desk is asked to reach the person another way."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from estate.messaging.acknowledgement import acknowledged_when_sent
from estate.messaging.choices import TOLD_TO_MANY, Channel, DeliveryState, Kind
from estate.messaging.models import Delivery, Message
from estate.messaging.signals import delivery_results
from estate.messaging.sms import DeliveryFailed, compose, sms_gateway

BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
)
BATCH = 200


def enqueue(delivery_id: int) -> None:
    send_delivery.enqueue(delivery_id)


def _claim(delivery_id: int, now: datetime) -> bool:
    abandoned = now - timedelta(seconds=settings.TASK_CLAIM_TIMEOUT)
    return bool(
        Delivery.objects.filter(
            Q(state=DeliveryState.PENDING)
            | Q(state=DeliveryState.SENDING, claimed_at__lt=abandoned),
            pk=delivery_id,
        ).update(state=DeliveryState.SENDING, claimed_at=now, tries=F("tries") + 1)
    )


def _send(delivery: Delivery) -> str:
    message = delivery.message
    if delivery.channel == Channel.SMS:
        return sms_gateway().send(
            compose(
                office_id=message.office_id,
                kind=message.kind,
                phone=delivery.address,
                text=message.text,
                values=message.values,
                key=delivery.idempotency_key,
            )
        )
    if delivery.channel == Channel.EMAIL:
        try:
            EmailMessage(
                subject=message.text[:60],
                body=message.text,
                to=[delivery.address],
                # A reply to it names this delivery, and so the order it tells of.
                headers={"Message-ID": f"<{delivery.idempotency_key}@estate>"},
            ).send()
        except OSError as failure:
            raise DeliveryFailed(failure, retry=True) from failure
        return ""
    from estate.messaging.wechat import send_message

    return send_message(delivery=delivery)


@task()
def send_delivery(delivery_id: int) -> str:
    """Send one delivery once; the result (sent, to be tried again, failed) is stored on it."""
    now = timezone.now()
    if not _claim(delivery_id, now):
        return Delivery.objects.filter(pk=delivery_id).values_list("state", flat=True).first() or ""
    delivery = Delivery.objects.select_related("message").get(pk=delivery_id)
    try:
        provider_id = _send(delivery)
    except DeliveryFailed as failure:
        return _failed(delivery, failure, now)
    sent_at = timezone.now()
    with transaction.atomic():
        sent = Delivery.objects.filter(pk=delivery_id, state=DeliveryState.SENDING).update(
            state=DeliveryState.SENT, provider_id=provider_id or "", sent_at=sent_at, error=""
        )
        if sent:
            Message.objects.filter(pk=delivery.message_id, reached_at__isnull=True).update(
                reached_at=sent_at
            )
            acknowledged_when_sent(delivery.message, sent_at)
    return DeliveryState.SENT


def _failed(delivery: Delivery, failure: DeliveryFailed, now: datetime) -> str:
    reason = str(failure)[:300]
    if failure.retry and delivery.tries <= len(BACKOFF):
        Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
            state=DeliveryState.PENDING,
            error=reason,
            next_try_at=now + BACKOFF[delivery.tries - 1],
        )
        return DeliveryState.PENDING
    with transaction.atomic():
        failed = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
            state=DeliveryState.FAILED, error=reason, next_try_at=None
        )
        if failed:
            delivery.state, delivery.error = DeliveryState.FAILED, reason
            unreached(delivery)
            delivery_results.send(sender=Delivery, message_ids=[delivery.message_id])
    return DeliveryState.FAILED


def unreached(delivery: Delivery) -> None:
    """Ask the desk on duty to reach the person another way, with the reason."""
    from estate.notifications.actions import notify
    from estate.notifications.messages import Message as Words
    from estate.workorders.routing import desk_to_tell

    message = delivery.message
    office = message.office
    order = message.work_order
    if message.kind in TOLD_TO_MANY:
        # A notice or the quarter's bills fail for many at once (a template not registered):
        # the desk is told once a day of each kind, and the list names every household.
        notify(
            office_id=office.pk,
            recipients=desk_to_tell(office, timezone.now()),
            kind="message_unreached",
            text=Words(
                _("Some households could not be told of “%(kind)s” by %(channel)s: see the list."),
                {"kind": Kind(message.kind).label, "channel": Channel(delivery.channel).label},
            ),
            link=reverse("messaging:unreached"),
            dedup_key=f"unreached-{message.kind}-{delivery.channel}-{timezone.localdate()}",
        )
        return
    unit = order.unit if order is not None else None
    who = unit.address if unit is not None else message.name or message.phone
    notify(
        office_id=office.pk,
        recipients=desk_to_tell(office, timezone.now()),
        kind="message_unreached",
        text=Words(
            _("Could not reach %(who)s by %(channel)s: call them. %(reason)s"),
            {"who": who, "channel": Channel(delivery.channel).label, "reason": delivery.error},
        ),
        link=reverse("messaging:unreached"),
        dedup_key=f"unreached-{delivery.pk}",
    )


def sweep(now: datetime | None = None) -> int:
    """Hand the worker what is due: deliveries whose quiet hours or back-off ended, and those
    whose sender died holding the claim. Each is handed over once (compare-and-set)."""
    now = now or timezone.now()
    abandoned = now - timedelta(seconds=settings.TASK_CLAIM_TIMEOUT)
    due = list(
        Delivery.objects.filter(
            Q(state__in=[DeliveryState.PENDING, DeliveryState.HELD], next_try_at__lte=now)
            | Q(state=DeliveryState.SENDING, claimed_at__lt=abandoned)
        ).values_list("pk", "state")[:BATCH]
    )
    handed = 0
    for pk, state in due:
        recheck = now + timedelta(seconds=settings.TASK_CLAIM_TIMEOUT)
        if state == DeliveryState.SENDING:
            moved = Delivery.objects.filter(pk=pk, state=state, claimed_at__lt=abandoned).update(
                state=DeliveryState.PENDING, next_try_at=recheck
            )
        else:
            moved = Delivery.objects.filter(pk=pk, state=state, next_try_at__lte=now).update(
                state=DeliveryState.PENDING, next_try_at=recheck
            )
        if moved:
            transaction.on_commit(partial(enqueue, pk))
            handed += 1
    return handed
