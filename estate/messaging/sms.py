"""Sending text messages. Mainland providers send only templates they approved: a signature
(簽名), a template code and the template's parameters; free text is refused. So every text
estate sends is an ``Sms``: the words as the person will read them, and the registered
template (``SmsTemplate``, per office and kind) with its parameters filled from the same
values. The console provider, the default, only logs the words.

A provider is a class with

* ``send(sms: Sms) -> str``: the provider's message id; raises ``DeliveryFailed`` with a
  reason for the office and whether trying again can help;
* ``registered_parameters(sign_name, template_code) -> list[str]``: the parameters of the
  template as the provider holds it, to check an ``SmsTemplate`` when it is saved.

It is named by ``SMS_GATEWAY`` (a dotted path); credentials come from the environment.
``sms.key`` is the same for every try of one text: a provider must send a key at most once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

log = logging.getLogger("estate.sms")

# A mainland mobile number: 11 digits from 13x to 19x, with or without +86.
_MAINLAND_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")


class DeliveryFailed(Exception):
    """The provider refused or could not deliver. ``retry``: trying later may succeed (an
    outage, a rate limit); otherwise it will not (a number that does not exist, a template
    not approved)."""

    def __init__(self, reason: Any, *, retry: bool = False, code: str = "") -> None:
        super().__init__(str(reason))
        self.retry = retry
        self.code = code


def mainland_mobile(phone: str) -> str | None:
    """The 11-digit mobile number in ``phone`` (spaces and dashes dropped), or None."""
    found = _MAINLAND_MOBILE.match(re.sub(r"[\s\-()]", "", phone or ""))
    return found.group(1) if found else None


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str
    key: str
    sign_name: str = ""
    template_code: str = ""
    parameters: Mapping[str, str] = field(default_factory=dict)  # in the template's order


class SmsGateway(Protocol):
    def send(self, sms: Sms) -> str: ...

    def registered_parameters(self, sign_name: str, template_code: str) -> list[str]: ...


_LINK = re.compile(r"(?:(https?://[^\s/]+)|(?<!\S))/\S*")
_LONG_NUMBER = re.compile(r"\d{6,}")


def masked(text: str) -> str:
    """``text`` as a log may keep it: links cut to their site, and every run of six digits or
    more (sign-in codes, phone numbers, ID numbers) starred out."""
    text = _LINK.sub(lambda link: f"{link.group(1) or ''}/…", text)
    return _LONG_NUMBER.sub(lambda digits: "*" * len(digits.group()), text)


class ConsoleSms:
    """Development and demo gateway: writes the text to the log instead of sending it.

    Personal data and secrets stay out of logs: only the number's last four digits, and the text
    with its codes and links masked. It knows no registered templates, so it takes any."""

    needs_templates = False

    def send(self, sms: Sms) -> str:
        log.info("SMS to ***%s: %s", sms.phone[-4:], masked(sms.text))
        return f"console-{sms.key}"

    def registered_parameters(self, sign_name: str, template_code: str) -> list[str]:
        raise LookupError(template_code)


@cache
def sms_gateway() -> SmsGateway:
    gateway: SmsGateway = import_string(settings.SMS_GATEWAY)()
    return gateway


def compose(
    *, office_id: int | None, kind: str, phone: str, text: str, values: Mapping[str, Any], key: str
) -> Sms:
    """The text for ``phone`` with the office's registered template for ``kind``; a provider
    that sends only templates refuses one without (``DeliveryFailed``, no retry)."""
    from estate.messaging.models import SmsTemplate

    number = mainland_mobile(phone)
    if number is None:
        raise DeliveryFailed(
            _("%(phone)s is not a mainland mobile number, so no text can be sent to it.")
            % {"phone": phone[:3] + "…" + phone[-2:] if len(phone) > 5 else phone},
            code="not_mobile",
        )
    registered = (
        SmsTemplate.objects.filter(office_id=office_id, kind=kind).first() if office_id else None
    )
    if registered is None:
        if getattr(sms_gateway(), "needs_templates", True):
            raise DeliveryFailed(
                _("No SMS template is registered for “%(kind)s”: register it under SMS templates.")
                % {"kind": _kind_label(kind)},
                code="no_template",
            )
        return Sms(phone=number, text=text, key=key)
    return Sms(
        phone=number,
        text=text,
        key=key,
        sign_name=registered.sign_name,
        template_code=registered.template_code,
        parameters={name: _text(values.get(name, "")) for name in registered.parameters},
    )


def _text(value: Any) -> str:
    return str(value) if value is not None else ""


def _kind_label(kind: str) -> str:
    from estate.messaging.choices import Kind

    return str(Kind(kind).label) if kind in Kind.values else kind
