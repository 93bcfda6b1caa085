"""Telling requesters: the one way any part of estate sends a message to a resident or a
campus requester, and the writes of their choices (consent per channel, language, quiet hours).

``tell`` writes the message (the portal inbox always has it) and one delivery for each channel
the person consented to, in the caller's transaction; the deliveries are sent by the worker
after commit (``sending``), so a provider's outage never blocks the step that told."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from estate.messaging import texts
from estate.messaging.choices import (
    OPEN_DELIVERY_STATES,
    URGENT_KINDS,
    Channel,
    DeliveryState,
)
from estate.messaging.models import Consent, Delivery, Message, Preferences, WeChatBinding
from estate.messaging.sms import mainland_mobile
from estate.properties.models import Office, Resident


@dataclass(frozen=True)
class Recipient:
    """Whom to tell: a resident on file, or only the name and number (or address) given."""

    resident: Resident | None = None
    name: str = ""
    phone: str = ""
    email: str = ""

    @property
    def key(self) -> str:
        if self.resident is not None:
            return f"r{self.resident.pk}"
        return f"p{self.phone}" if self.phone else f"e{self.email.lower()}"

    @property
    def known(self) -> bool:
        return self.resident is not None or bool(self.phone or self.email)


def recipient_of_order(order: Any) -> Recipient:
    if order.requester_id:
        return Recipient(resident=order.requester)
    return Recipient(name=order.requester_name, phone=order.requester_phone)


def language_for(recipient: Recipient) -> str:
    """The person's chosen language, else their portal login's, else the default (zh-Hant)."""
    resident = recipient.resident
    if resident is not None:
        chosen = Preferences.objects.filter(resident=resident).values_list("language", flat=True)
        if chosen and chosen[0]:
            return chosen[0]
        user_language = getattr(resident.user, "language", "") if resident.user_id else ""
        if user_language in texts.LANGUAGES:
            return user_language
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in texts.LANGUAGES else "zh-hant"


def consented_channels(resident: Resident) -> set[str]:
    """The channels whose latest consent row is a yes."""
    return consents_of([resident.pk])[resident.pk]


def consents_of(resident_ids: Iterable[int]) -> dict[int, set[str]]:
    """resident id → the channels whose latest consent row is a yes (one query for them all)."""
    ids = list(resident_ids)
    latest: dict[tuple[int, str], bool] = {}
    for resident_id, channel, granted in (
        Consent.objects.filter(resident_id__in=ids)
        .order_by("resident_id", "channel", "-at", "-id")
        .values_list("resident_id", "channel", "granted")
    ):
        latest.setdefault((resident_id, channel), granted)
    granted_channels: dict[int, set[str]] = {pk: set() for pk in ids}
    for (resident_id, channel), granted in latest.items():
        if granted:
            granted_channels[resident_id].add(channel)
    return granted_channels


def _address(channel: str, recipient: Recipient) -> str:
    resident = recipient.resident
    if channel == Channel.SMS:
        return (resident.phone if resident else recipient.phone) or ""
    if channel == Channel.EMAIL:
        return (resident.email if resident else recipient.email) or ""
    if resident is None:
        return ""
    binding = WeChatBinding.objects.filter(resident=resident).values_list("openid", flat=True)
    return binding[0] if binding else ""


def quiet_until(office: Office, recipient: Recipient, at: datetime) -> datetime | None:
    """The end of the person's quiet hours when ``at`` falls in them (in the office's time)."""
    start, end = (
        Preferences._meta.get_field("quiet_from").default,
        Preferences._meta.get_field("quiet_until").default,
    )
    if recipient.resident is not None:
        own = Preferences.objects.filter(resident=recipient.resident).first()
        if own is not None:
            start, end = own.quiet_from, own.quiet_until
    if start == end:
        return None
    local = at.astimezone(ZoneInfo(office.timezone))
    now = local.time()
    inside = (start <= now or now < end) if start > end else (start <= now < end)
    if not inside:
        return None
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ends <= local:
        ends += timedelta(days=1)
    return ends


def tell(
    *,
    office: Office,
    kind: str,
    to: Recipient,
    values: Mapping[str, Any],
    key: str,
    work_order: Any = None,
    link: str = "",
    answering: str = "",
    at: datetime | None = None,
) -> Message | None:
    """Tell ``to`` of an event (``key`` names it) in their language, by the office's template
    for ``kind``; None when they were told of it already or cannot be reached at all.

    ``answering``: the channel the person just wrote to us on; the answer goes back on it even
    without a recorded consent (they wrote to us) and is not held for quiet hours."""
    if not to.known:
        return None
    at = at or timezone.now()
    language = language_for(to)
    full_link = f"{settings.SITE_URL.rstrip('/')}{link}" if link.startswith("/") else link
    filled = {**values, "link": full_link}
    text = texts.render(texts.template_text(office.pk, kind, language), filled, language)
    try:
        with transaction.atomic():  # told already: leave the caller's transaction unspoilt
            message = Message.objects.create(
                office=office,
                kind=kind,
                key=key,
                resident=to.resident,
                name=to.name or (to.resident.name if to.resident else ""),
                phone=to.phone,
                email=to.email,
                recipient_key=to.key,
                work_order=work_order,
                language=language,
                text=text,
                values={k: str(v) for k, v in texts.rendered_values(filled, language).items()},
                link=full_link,
                # Quiet hours hold everything but interruptions and news of an emergency.
                urgent=kind in URGENT_KINDS or getattr(work_order, "is_emergency", False),
                created_at=at,
            )
    except IntegrityError:
        return None
    channels = consented_channels(to.resident) if to.resident is not None else set()
    if answering in Channel.values:
        channels.add(answering)
    held_until = None if message.urgent or answering else quiet_until(office, to, at)
    planned = []
    for channel in sorted(channels):
        address = _address(channel, to)
        if not address:
            continue
        if channel == Channel.SMS and mainland_mobile(address) is None:
            planned.append(
                Delivery(
                    message=message,
                    channel=channel,
                    address=address,
                    state=DeliveryState.FAILED,
                    error=str(
                        texts.not_a_mobile_number(address),
                    ),
                )
            )
            continue
        planned.append(
            Delivery(
                message=message,
                channel=channel,
                address=address,
                state=DeliveryState.HELD if held_until else DeliveryState.PENDING,
                next_try_at=held_until,
            )
        )
    created = Delivery.objects.bulk_create(planned)
    message.due_at = held_until or at
    message.reached_at = None if created else at  # no channel but the inbox: told at once
    message.save(update_fields=["due_at", "reached_at"])
    from estate.messaging.sending import enqueue, unreached

    for delivery in created:
        if delivery.state == DeliveryState.PENDING:
            transaction.on_commit(partial(enqueue, delivery.pk))
        elif delivery.state == DeliveryState.FAILED:
            unreached(delivery)
    return message


def record_consent(
    *,
    resident: Resident,
    channel: str,
    granted: bool,
    source: str,
    by: Any = None,
    at: datetime | None = None,
) -> Consent:
    """Record a yes or a no to a channel; a no stops the channel at once: what waits to be
    sent by it is not sent."""
    with transaction.atomic():
        consent = Consent.objects.create(
            office_id=resident.office_id,
            resident=resident,
            channel=channel,
            granted=granted,
            at=at or timezone.now(),
            source=source,
            recorded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        if not granted:
            Delivery.objects.filter(
                message__resident=resident,
                channel=channel,
                state__in=OPEN_DELIVERY_STATES - {DeliveryState.SENDING},
            ).update(state=DeliveryState.CANCELLED, error=str(texts.CONSENT_WITHDRAWN))
    return consent


def set_preferences(
    *, resident: Resident, language: str, quiet_from: Any, quiet_until: Any
) -> Preferences:
    preferences, _created = Preferences.objects.update_or_create(
        resident=resident,
        defaults={
            "office_id": resident.office_id,
            "language": language,
            "quiet_from": quiet_from,
            "quiet_until": quiet_until,
        },
    )
    return preferences


def mark_read(*, resident: Resident, message_ids: Any = None) -> int:
    """The portal inbox's read receipt: the messages the person has now seen."""
    unread = Message.objects.filter(resident=resident, read_at__isnull=True)
    if message_ids is not None:
        unread = unread.filter(pk__in=message_ids)
    return unread.update(read_at=timezone.now())


def save_template(*, office: Office, kind: str, language: str, text: str, by: Any) -> Any:
    """The office's own words for a kind of message: placeholders checked, the words passed
    through the forbidden-phrase guard (they reach every requester)."""
    from estate.language import guard
    from estate.language.choices import Channel as LanguageChannel
    from estate.messaging.choices import SMS_ONLY_KINDS
    from estate.messaging.models import MessageTemplate

    text = (text or "").strip()
    if kind in SMS_ONLY_KINDS or kind not in texts.DEFAULTS:
        raise ValidationError({"kind": _("This message has no words of the office's own.")})
    if language not in texts.LANGUAGES:
        raise ValidationError({"language": _("Choose Traditional or Simplified Chinese.")})
    if not text:
        raise ValidationError({"text": _("This field is required.")})
    texts.check(kind, text)
    guard.enforce(office=office, by=by, channel=LanguageChannel.SMS, text=text)
    template, _created = MessageTemplate.objects.update_or_create(
        office=office, kind=kind, language=language, defaults={"text": text}
    )
    return template


def reset_template(*, office: Office, kind: str, language: str) -> None:
    """Back to estate's words."""
    from estate.messaging.models import MessageTemplate

    MessageTemplate.objects.filter(office=office, kind=kind, language=language).delete()


def settle_unreached(*, delivery: Delivery, note: str, by: Any) -> Delivery:
    """The desk reached the person another way (or tried): the task leaves the list."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say how you reached them.")})
    updated = Delivery.objects.filter(
        pk=delivery.pk, state=DeliveryState.FAILED, settled_at__isnull=True
    ).update(settled_at=timezone.now(), settled_by=by, settled_note=note[:200])
    if not updated:
        raise ValidationError({"note": _("Someone has followed this up already.")})
    delivery.refresh_from_db()
    return delivery
