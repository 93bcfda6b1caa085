"""What the provider adapters share: one HTTP exchange that tells apart a request that never
reached the provider (safe to try again) from one whose outcome is unknown (it may have been
sent), and the ledger that keeps a key from being sent twice."""

from __future__ import annotations

import json
import logging
import socket
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from estate.messaging.models import SmsSend
from estate.messaging.sms import DeliveryFailed

log = logging.getLogger("estate.sms")


class Unreached(Exception):
    """The request never reached the provider (no connection): nothing was sent."""


class Unknown(Exception):
    """The request may have reached the provider, but no answer came back."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def exchange(
    url: str, *, data: bytes | None = None, headers: Mapping[str, str] | None = None
) -> Answer:
    """One HTTP request; the answer's JSON body (an empty dict when it is not JSON)."""
    request = urllib.request.Request(
        url, data=data, headers=dict(headers or {}), method="POST" if data is not None else "GET"
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.SMS_TIMEOUT_SECONDS) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except urllib.error.URLError as error:
        if isinstance(error.reason, ConnectionRefusedError | socket.gaierror):
            raise Unreached(str(error.reason)) from error
        raise Unknown(str(error.reason)) from error
    except (TimeoutError, ConnectionError, HTTPException) as error:
        raise Unknown(str(error)) from error
    try:
        body = json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        body = {}
    return Answer(status=status, body=body if isinstance(body, dict) else {})


def unreached() -> DeliveryFailed:
    return DeliveryFailed(
        _("The SMS provider could not be reached; the text will be tried again."),
        retry=True,
        code="unreached",
    )


def unknown() -> DeliveryFailed:
    return DeliveryFailed(
        _(
            "The SMS provider did not answer, so the text may or may not have been sent. It is "
            "not sent again by itself: ask the person, or look it up in the provider's console."
        ),
        retry=False,
        code="unknown",
    )


def unchecked() -> DeliveryFailed:
    return DeliveryFailed(
        _("The SMS provider could not be asked about the template just now: save it again later."),
        retry=True,
        code="unreached",
    )


def send_once(*, provider: str, key: str, send: Callable[[], str]) -> str:
    """Send ``key`` at most once: an id the provider gave before is answered again without a
    request; a try whose outcome is unknown is not repeated (``DeliveryFailed``, no retry).
    ``send`` raises ``DeliveryFailed`` when the provider refused (the key may be sent later),
    ``Unreached`` or ``Unknown``."""
    try:
        with transaction.atomic():
            SmsSend.objects.create(key=key, provider=provider)
    except IntegrityError:
        earlier = SmsSend.objects.get(key=key)
        if earlier.provider_id:
            return earlier.provider_id
        log.warning("SMS %s: an earlier try got no answer; not sent again", key)
        raise unknown() from None
    try:
        provider_id = send()
    except DeliveryFailed:
        SmsSend.objects.filter(key=key, provider_id="").delete()  # refused: nothing was sent
        raise
    except Unreached:
        SmsSend.objects.filter(key=key, provider_id="").delete()
        raise unreached() from None
    except Unknown:
        raise unknown() from None
    SmsSend.objects.filter(key=key).update(provider_id=provider_id)
    return provider_id
