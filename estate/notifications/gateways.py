"""SMS gateways. Estate talks to a provider through one small interface; the default only logs.

To use a real provider (Aliyun SMS, Tencent Cloud SMS, …) write a class with the method
``send(phone: str, text: str, *, key: str) -> str`` that returns the provider's message id and
raises ``DeliveryFailed`` with the provider's reason when it refuses; then set
``SMS_GATEWAY=your.module.YourGateway``. Keep credentials in environment variables.

``key`` is the message's idempotency key: estate sends the same key again only when it cannot
know whether an earlier try got through (the worker died mid-send), so a gateway must send a
key at most once, through the provider's own idempotency field or by remembering the keys it
sent.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("estate.sms")


class DeliveryFailed(Exception):
    """The gateway refused or could not deliver; the message says why."""


class SmsGateway(Protocol):
    def send(self, phone: str, text: str, *, key: str) -> str: ...


_LINK = re.compile(r"(?:(https?://[^\s/]+)|(?<!\S))/\S*")
_LONG_NUMBER = re.compile(r"\d{6,}")


def masked(text: str) -> str:
    """``text`` as a log may keep it: links cut to their site, and every run of six digits or
    more (sign-in codes, phone numbers, ID numbers) starred out."""
    text = _LINK.sub(lambda link: f"{link.group(1) or ''}/…", text)
    return _LONG_NUMBER.sub(lambda digits: "*" * len(digits.group()), text)


class ConsoleSmsGateway:
    """Development and demo gateway: writes the message to the log instead of sending it.

    Personal data and secrets stay out of logs: only the number's last four digits, and the text
    with its codes and links masked."""

    def send(self, phone: str, text: str, *, key: str) -> str:
        log.info("SMS to ***%s: %s", phone[-4:], masked(text))
        return f"console-{key}"


@cache
def sms_gateway() -> SmsGateway:
    gateway: SmsGateway = import_string(settings.SMS_GATEWAY)()
    return gateway
