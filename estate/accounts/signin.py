"""Residents signing in to the portal: phone number and password, or a one-time code by SMS.

Wrong passwords or codes are slowed, then locked for a while, per phone number and per network
address, with a message that says how long to wait. Errors never tell whether a number is
registered (no fishing for residents' numbers).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from estate.accounts.models import OneTimeCode, SignInThrottle, User
from estate.core.phones import normalize_phone
from estate.notifications.gateways import sms_gateway

FREE_FAILURES = 3  # then each try waits SLOW_DOWN
SLOW_DOWN = timedelta(seconds=30)
LOCK_AFTER = 6  # failures, then locked for LOCK_FOR
LOCK_FOR = timedelta(minutes=15)
CODE_VALID_FOR = timedelta(minutes=5)
CODE_EVERY = timedelta(minutes=1)  # at most one code a minute to a number


class SignInRefused(Exception):
    """A refusal to show as it is (already translated)."""


@dataclass
class Keys:
    keys: list[str]

    @classmethod
    def of(cls, phone: str, address: str) -> Keys:
        return cls([f"phone:{normalize_phone(phone)}", f"ip:{address}"])


def _check_throttle(keys: Keys, *, locks_only: bool = False) -> None:
    now = timezone.now()
    for throttle in SignInThrottle.objects.filter(key__in=keys.keys):
        if throttle.locked_until and throttle.locked_until > now:
            minutes = max(1, math.ceil((throttle.locked_until - now).total_seconds() / 60))
            raise SignInRefused(
                _("Too many wrong tries. Sign-in is locked; try again in %(minutes)d minutes.")
                % {"minutes": minutes}
            )
        if not locks_only and throttle.failures >= FREE_FAILURES and throttle.last_failure_at:
            wait = throttle.last_failure_at + SLOW_DOWN - now
            if wait.total_seconds() > 0:
                raise SignInRefused(
                    _("Please wait %(seconds)d seconds before trying again.")
                    % {"seconds": math.ceil(wait.total_seconds())}
                )


def _failed(keys: Keys) -> None:
    now = timezone.now()
    for key in keys.keys:
        with transaction.atomic():
            throttle, _created = SignInThrottle.objects.select_for_update().get_or_create(key=key)
            if throttle.locked_until and throttle.locked_until <= now:
                throttle.failures = 0  # the lock has passed: start again
            throttle.failures += 1
            throttle.last_failure_at = now
            if throttle.failures >= LOCK_AFTER:
                throttle.locked_until = now + LOCK_FOR
            throttle.save()


def _succeeded(keys: Keys) -> None:
    SignInThrottle.objects.filter(key=keys.keys[0]).delete()


def resident_user(phone: str) -> User | None:
    """The portal login of the resident with this phone number, if there is one."""
    number = normalize_phone(phone)
    if not number:
        return None
    return User.objects.filter(resident__phone=number, is_active=True).order_by("id").first()


def with_password(phone: str, password: str, *, address: str, request: Any = None) -> User:
    keys = Keys.of(phone, address)
    _check_throttle(keys)
    user = resident_user(phone)
    signed_in = (
        authenticate(request, username=user.get_username(), password=password) if user else None
    )
    if signed_in is None:
        _failed(keys)
        _check_throttle(keys, locks_only=True)  # say so at once when this failure locked it
        raise SignInRefused(_("The phone number or password is not right."))
    _succeeded(keys)
    assert isinstance(signed_in, User)
    return signed_in


def _digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def send_code(phone: str, *, address: str) -> None:
    """Text a six-digit code to the number if a resident has it (the answer looks the same either
    way). Refused when one was sent less than a minute ago."""
    keys = Keys.of(phone, address)
    _check_throttle(keys)
    user = resident_user(phone)
    if user is None:
        return
    now = timezone.now()
    if OneTimeCode.objects.filter(user=user, created_at__gt=now - CODE_EVERY).exists():
        raise SignInRefused(_("A code was sent less than a minute ago; please wait for it."))
    code = f"{secrets.randbelow(10**6):06d}"
    sent = OneTimeCode.objects.create(
        user=user, code_hash=_digest(code), expires_at=now + CODE_VALID_FOR
    )
    sms_gateway().send(
        normalize_phone(phone),
        _("Your sign-in code is %(code)s. It is valid for 5 minutes; do not give it to anyone.")
        % {"code": code},
        key=f"sign-in-code-{sent.pk}",
    )


def with_code(phone: str, code: str, *, address: str) -> User:
    keys = Keys.of(phone, address)
    _check_throttle(keys)
    user = resident_user(phone)
    now = timezone.now()
    found = (
        OneTimeCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
        if user
        else None
    )
    if found is None or not hmac.compare_digest(found.code_hash, _digest(code.strip())):
        _failed(keys)
        _check_throttle(keys, locks_only=True)
        raise SignInRefused(_("The code is not right or has expired."))
    if not OneTimeCode.objects.filter(pk=found.pk, used_at__isnull=True).update(used_at=now):
        raise SignInRefused(_("The code is not right or has expired."))
    _succeeded(keys)
    return found.user
