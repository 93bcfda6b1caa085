"""Sign-in timing: does a wrong try take as long for a registered number (or username) as for an
unknown one? Issue 16 measured 1.9 s against 0.07 s, which told who is registered. Each try is a
real POST through Django's test client with the production password hasher; the throttle rows
are cleared between tries so that every try reaches the password check."""

from __future__ import annotations

import statistics
import time

from django.core.management import call_command
from django.test import Client

from estate.accounts.models import SignInThrottle, User
from estate.properties.models import Resident

TRIES = 15


def _median_ms(url: str, form: dict[str, str]) -> float:
    client = Client()
    samples = []
    for _ in range(TRIES):
        SignInThrottle.objects.all().delete()
        start = time.perf_counter()
        client.post(url, form)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    call_command("seed_demo", verbosity=0)
    resident = Resident.objects.exclude(phone="").order_by("pk").first()
    assert resident is not None, "the demo has residents"
    if resident.user_id is None:
        resident.user = User.objects.create_user(f"bench-{resident.pk}", password="bench-pass-2026")
        resident.save(update_fields=["user"])
    portal = "/portal/sign-in/"
    known = _median_ms(portal, {"phone": resident.phone, "password": "wrong", "how": "password"})
    unknown = _median_ms(portal, {"phone": "13900000000", "password": "wrong", "how": "password"})
    print(f"{'portal, wrong password, registered number':<56} {known:9.1f} ms  (median of {TRIES})")
    print(f"{'portal, wrong password, unknown number':<56} {unknown:9.1f} ms  (median of {TRIES})")
    print(f"{'  unknown / registered':<56} {unknown / known:9.2f}")
    staff = "/accounts/login/"
    known = _median_ms(staff, {"username": "reception", "password": "wrong"})
    unknown = _median_ms(staff, {"username": "nobody-here", "password": "wrong"})
    print(f"{'staff sign-in, wrong password, existing username':<56} {known:9.1f} ms")
    print(f"{'staff sign-in, wrong password, unknown username':<56} {unknown:9.1f} ms")
    print(f"{'  unknown / existing':<56} {unknown / known:9.2f}")
