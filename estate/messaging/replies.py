"""Replies by SMS (上行短信): what a person texted back to the office's signature, handed to
``inbound.take_reply`` for the office whose templates use that signature."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from estate.messaging import inbound
from estate.messaging.callbacks import entries, provider_time
from estate.messaging.models import SmsTemplate
from estate.messaging.sms import mainland_mobile
from estate.properties.models import Office

log = logging.getLogger("estate.sms")


@dataclass(frozen=True)
class InboundSms:
    phone: str  # 11 digits
    text: str
    at: datetime
    sign_name: str


def parse_replies(provider: str, body: bytes | str) -> list[InboundSms]:
    """The replies in an upstream-message callback (Alibaba SmsUp, Tencent 回復短信); a reply
    from outside the mainland, or without words, is left out; ``ValueError`` for a body that is
    not such a callback."""
    replies = []
    for entry in entries(body):
        if provider == "aliyun":
            phone, text = entry.get("phone_number"), entry.get("content")
            at, sign_name = entry.get("send_time"), entry.get("sign_name")
        elif provider == "tencent":
            if str(entry.get("nationcode") or "86") != "86":
                continue
            phone, text = entry.get("mobile"), entry.get("text")
            at, sign_name = entry.get("reply_time") or entry.get("time"), entry.get("sign")
        else:
            raise ValueError(provider)
        number = mainland_mobile(str(phone or ""))
        if number is None or not str(text or "").strip():
            continue
        replies.append(
            InboundSms(
                phone=number,
                text=str(text).strip(),
                at=provider_time(at),
                sign_name=str(sign_name or "").strip(),
            )
        )
    return replies


def office_for_sign(sign_name: str) -> Office | None:
    """The office whose SMS templates use ``sign_name`` (the first); else the only office."""
    used = (
        SmsTemplate.objects.filter(sign_name=sign_name).order_by("office_id").first()
        if sign_name
        else None
    )
    if used is not None:
        return used.office
    offices = list(Office.objects.all()[:2])
    return offices[0] if len(offices) == 1 else None


def take_replies(provider: str, body: bytes | str) -> int:
    """Hand every reply in ``body`` to its office; how many were taken."""
    taken = 0
    for reply in parse_replies(provider, body):
        office = office_for_sign(reply.sign_name)
        if office is None:
            log.warning("SMS reply to signature %r: no office uses it; ignored", reply.sign_name)
            continue
        inbound.take_reply(
            office=office, channel="sms", sender=reply.phone, text=reply.text, at=reply.at
        )
        taken += 1
    return taken
