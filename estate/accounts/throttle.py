"""Counting sign-in attempts and codes sent, per key, to slow guessing without locking out others.

A key is a policy and a value: the account tried (a phone number, a username), the client's
address, the number a code is texted to. Each policy counts events (wrong tries, codes sent) in
a window; past ``slow_after`` events each new try must wait ``slow_down`` after the last, and at
``limit`` events the key is locked for ``lock_for``. An account is locked only by tries at that
account, so a stranger guessing made-up numbers never locks a resident out; an address is only
held to a rate, high enough for a household or an office behind one router.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from estate.accounts.models import SignInThrottle


@dataclass(frozen=True)
class Policy:
    name: str
    limit: int  # events within `window`, then locked for `lock_for`
    window: timedelta
    lock_for: timedelta
    locked_message: Promise  # may use %(minutes)d
    slow_after: int | None = None  # events after which each try waits `slow_down`
    slow_down: timedelta = timedelta(0)
    slowed_message: Promise | None = None  # may use %(seconds)d

    def key(self, value: str) -> str:
        key = f"{self.name}:{value.strip().lower()}"
        if len(key) > 80:  # long usernames: a digest keeps the column short and the key exact
            key = f"{self.name}:#{hashlib.sha256(key.encode()).hexdigest()[:64]}"
        return key


WRONG_TRIES = _("Too many wrong tries. Sign-in is locked; try again in %(minutes)d minutes.")
WAIT = _("Please wait %(seconds)d seconds before trying again.")

ACCOUNT = Policy(
    "account",
    limit=6,
    window=timedelta(minutes=15),
    lock_for=timedelta(minutes=15),
    locked_message=WRONG_TRIES,
    slow_after=3,
    slow_down=timedelta(seconds=30),
    slowed_message=WAIT,
)
ADDRESS = Policy(
    "address",
    limit=30,
    window=timedelta(minutes=10),
    lock_for=timedelta(minutes=10),
    locked_message=_("Too many wrong tries from your network. Try again in %(minutes)d minutes."),
)
CODES_TO_NUMBER = Policy(
    "codes-to",
    limit=5,
    window=timedelta(hours=1),
    lock_for=timedelta(hours=1),
    locked_message=_("Enough codes were sent to this number. Try again in %(minutes)d minutes."),
    slow_after=1,
    slow_down=timedelta(minutes=1),
    slowed_message=_("A code was sent less than a minute ago; please wait for it."),
)
CODES_FROM_ADDRESS = Policy(
    "codes-from",
    limit=10,
    window=timedelta(hours=1),
    lock_for=timedelta(hours=1),
    locked_message=_(
        "Too many codes were asked for from your network. Try again in %(minutes)d minutes."
    ),
)


class Refused(Exception):
    """A try that must wait: the translated reason and the seconds to wait."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


Keys = list[tuple[Policy, str]]


def check(keys: Keys, *, locks_only: bool = False) -> None:
    """Refuse with the reason when any key is locked (or, unless ``locks_only``, slowed)."""
    now = timezone.now()
    by_key = {policy.key(value): policy for policy, value in keys}
    for throttle in SignInThrottle.objects.filter(key__in=by_key):
        policy = by_key[throttle.key]
        if throttle.locked_until and throttle.locked_until > now:
            seconds = math.ceil((throttle.locked_until - now).total_seconds())
            message = policy.locked_message % {"minutes": max(1, math.ceil(seconds / 60))}
            raise Refused(message, seconds)
        in_window = throttle.window_started_at and throttle.window_started_at + policy.window > now
        if (
            not locks_only
            and in_window
            and policy.slow_after is not None
            and throttle.failures >= policy.slow_after
            and throttle.last_failure_at
        ):
            wait = (throttle.last_failure_at + policy.slow_down - now).total_seconds()
            if wait > 0 and policy.slowed_message is not None:
                seconds = math.ceil(wait)
                raise Refused(policy.slowed_message % {"seconds": seconds}, seconds)


def count(keys: Keys) -> None:
    """Count one event (a wrong try, a code sent) against every key."""
    now = timezone.now()
    for policy, value in keys:
        with transaction.atomic():
            throttle, _created = SignInThrottle.objects.select_for_update().get_or_create(
                key=policy.key(value)
            )
            window_over = (
                throttle.window_started_at is None
                or throttle.window_started_at + policy.window <= now
            )
            lock_over = throttle.locked_until is not None and throttle.locked_until <= now
            if window_over or lock_over:
                throttle.failures = 0
                throttle.window_started_at = now
                throttle.locked_until = None
            throttle.failures += 1
            throttle.last_failure_at = now
            if throttle.failures >= policy.limit:
                throttle.locked_until = now + policy.lock_for
            throttle.save()


def failed(keys: Keys) -> None:
    """A wrong try: count it, and refuse at once when it locked a key (the message says how long
    rather than merely "wrong")."""
    count(keys)
    check(keys, locks_only=True)


def clear(policy: Policy, value: str) -> None:
    """Forget the events of one key (a right password clears its account's wrong tries)."""
    SignInThrottle.objects.filter(key=policy.key(value)).delete()


def attempt_keys(account: str, address: str) -> Keys:
    return [(ACCOUNT, account), (ADDRESS, address)]
