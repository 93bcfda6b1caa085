"""Residents signing in to the portal: phone number and password, or a one-time code by SMS.

Wrong tries are slowed, then locked for a while, for the number tried; the client's address is
held only to a rate (``accounts.throttle``), so a stranger guessing cannot lock a resident out.
Codes are limited per number and per address. Errors never tell whether a number is
registered, and a sign-in costs the same password hashing either way (no fishing for residents'
numbers by the answer or by its time).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any, NoReturn

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from estate.accounts import throttle
from estate.accounts.models import OneTimeCode, User
from estate.core.phones import normalize_phone
from estate.messaging.choices import Kind
from estate.messaging.sms import compose, sms_gateway
from estate.properties.models import Resident

CODE_VALID_FOR = timedelta(minutes=5)

SignInRefused = throttle.Refused


def _keys(phone: str, address: str) -> throttle.Keys:
    return throttle.attempt_keys(f"phone/{normalize_phone(phone)}", address)


def _refuse(keys: throttle.Keys, message: str) -> NoReturn:
    throttle.failed(keys)
    raise SignInRefused(message, 0)


def resident_user(phone: str) -> User | None:
    """The portal login of the resident with this phone number, if there is one."""
    number = normalize_phone(phone)
    if not number:
        return None
    return User.objects.filter(resident__phone=number, is_active=True).order_by("id").first()


def with_password(phone: str, password: str, *, address: str, request: Any = None) -> User:
    keys = _keys(phone, address)
    throttle.check(keys)
    user = resident_user(phone)
    if user is None:
        make_password(password)  # the same hashing as for a registered number
        signed_in = None
    else:
        signed_in = authenticate(request, username=user.get_username(), password=password)
    if signed_in is None:
        _refuse(keys, _("The phone number or password is not right."))
    throttle.clear(*keys[0])
    assert isinstance(signed_in, User)
    return signed_in


def _digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def send_code(phone: str, *, address: str) -> None:
    """Text a six-digit code to the number if a resident has it (the answer, and its time, look
    the same either way: the code is made and sent by the worker). At most one a minute and five
    an hour to a number, and ten an hour from an address."""
    number = normalize_phone(phone)
    keys = [(throttle.CODES_TO_NUMBER, number), (throttle.CODES_FROM_ADDRESS, address)]
    throttle.check(keys)
    throttle.count(keys)
    user = resident_user(phone)
    if user is not None:
        text_sign_in_code.enqueue(user.pk, number)


@task()
def text_sign_in_code(user_id: int, number: str) -> None:
    """Make a code and text it. Only its digest is stored, and the task's arguments hold none."""
    code = f"{secrets.randbelow(10**6):06d}"
    sent = OneTimeCode.objects.create(
        user_id=user_id, code_hash=_digest(code), expires_at=timezone.now() + CODE_VALID_FOR
    )
    resident = Resident.objects.filter(user_id=user_id).only("office_id").first()
    sms_gateway().send(
        compose(
            office_id=resident.office_id if resident else None,
            kind=Kind.SIGN_IN_CODE,
            phone=number,
            text=_(
                "Your sign-in code is %(code)s. It is valid for 5 minutes; do not give it to anyone."
            )
            % {"code": code},
            values={"code": code},
            key=f"sign-in-code-{sent.pk}",
        )
    )


def with_code(phone: str, code: str, *, address: str) -> User:
    keys = _keys(phone, address)
    throttle.check(keys)
    user = resident_user(phone)
    now = timezone.now()
    found = (
        OneTimeCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
        if user
        else None
    )
    wrong = _("The code is not right or has expired.")
    if found is None or not hmac.compare_digest(found.code_hash, _digest(code.strip())):
        _refuse(keys, wrong)
    assert found is not None
    if not OneTimeCode.objects.filter(pk=found.pk, used_at__isnull=True).update(used_at=now):
        raise SignInRefused(wrong, 0)
    throttle.clear(*keys[0])
    return found.user
