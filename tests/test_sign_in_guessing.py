"""Sign-in resists guessing without locking out the innocent: staff sign-in and the token
endpoint are slowed and locked per account and held to a rate per address; the portal locks the
number tried, not the address; codes by SMS are limited per number and per address; the client's
address is read past trusted proxies only; a sign-in hashes once whether or not the number is
registered."""

import pytest
import time_machine
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import RequestFactory
from django.urls import reverse

from estate.accounts.models import User
from estate.core.addresses import client_address
from estate.properties.models import Resident
from tests.factories import PASSWORD

PHONE = "13812341234"  # 陳美玲 of 3-1202 (the bsw fixture)
NOW = "2026-11-26 10:00:00 +08:00"


def staff_sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def page_error(page):
    return page.context["form"].non_field_errors()[0] if page.status_code == 200 else ""


def token(api, username, password, address="10.0.0.1"):
    return api.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def test_staff_wrong_passwords_are_slowed_then_locked_with_how_long(client, reception):
    with time_machine.travel(NOW, tick=False) as clock:
        for _ in range(3):
            assert "不正確" in page_error(staff_sign_in(client, "reception", "wrong"))
        # The right password too must wait now: guessing is slowed, whoever guesses.
        assert "30" in page_error(staff_sign_in(client, "reception", PASSWORD))
        for _ in range(3):
            clock.shift(31)
            last = staff_sign_in(client, "reception", "wrong")
        assert "鎖定" in page_error(last)
        assert "15" in page_error(last)
        clock.shift(14 * 60)
        assert "鎖定" in page_error(staff_sign_in(client, "reception", PASSWORD))
        clock.shift(61)
        assert staff_sign_in(client, "reception", PASSWORD).status_code == 302


def test_a_locked_account_does_not_lock_the_others_at_the_same_address(client, reception, head):
    with time_machine.travel(NOW, tick=False) as clock:
        for _ in range(6):
            staff_sign_in(client, "reception", "wrong")
            clock.shift(31)
        assert "鎖定" in page_error(staff_sign_in(client, "reception", PASSWORD))
        assert staff_sign_in(client, "head", PASSWORD).status_code == 302


def test_one_address_guessing_many_accounts_is_held_to_a_rate(client, reception):
    with time_machine.travel(NOW, tick=False):
        for n in range(30):
            staff_sign_in(client, f"nobody{n}", "wrong", address="203.0.113.9")
        refused = page_error(staff_sign_in(client, "reception", PASSWORD, address="203.0.113.9"))
        assert "網絡" in refused
        assert "10" in refused
        # The same person from another network is not held back.
        assert staff_sign_in(client, "reception", PASSWORD, address="10.0.0.2").status_code == 302


def test_the_token_endpoint_is_throttled_as_the_sign_in_page_is(api, reception):
    with time_machine.travel(NOW, tick=False) as clock:
        for _ in range(3):
            wrong = token(api, "reception", "wrong")
            assert wrong.status_code == 400
            assert "non_field_errors" in wrong.json()
        slowed = token(api, "reception", PASSWORD)
        assert slowed.status_code == 429
        assert slowed["Retry-After"] == "30"
        assert "30" in slowed.json()["detail"]
        for _ in range(3):
            clock.shift(31)
            token(api, "reception", "wrong")
        locked = token(api, "reception", PASSWORD)
        assert locked.status_code == 429
        assert int(locked["Retry-After"]) > 14 * 60
        # Page and endpoint count together: the sign-in page is locked for this account too.
        assert "鎖定" in page_error(staff_sign_in(api, "reception", PASSWORD))
        clock.shift(15 * 60 + 1)
        assert token(api, "reception", PASSWORD).status_code == 201


@pytest.fixture
def chen(bsw):
    user = User.objects.create_user(username="chen", password=PASSWORD)
    Resident.objects.filter(phone=PHONE).update(user=user)
    return user


def portal(client, address="10.0.0.1", **form):
    page = client.post(reverse("portal:sign_in"), form, REMOTE_ADDR=address)
    if page.status_code == 302:
        return "signed in"
    errors = page.context["form"].non_field_errors()
    return errors[0] if errors else ""


def test_made_up_numbers_do_not_lock_out_a_resident_at_the_same_address(client, chen):
    with time_machine.travel(NOW, tick=False):
        for n in range(6):
            portal(client, phone=f"1390000000{n}", password="guess", how="password")
        assert portal(client, phone=PHONE, password=PASSWORD, how="password") == "signed in"


def test_the_portal_locks_the_number_tried_from_any_address(client, chen):
    with time_machine.travel(NOW, tick=False) as clock:
        for n in range(6):
            portal(client, f"198.51.100.{n}", phone=PHONE, password="guess", how="password")
            clock.shift(31)
        refused = portal(client, "192.0.2.1", phone=PHONE, password=PASSWORD, how="password")
        assert "鎖定" in refused


def test_codes_are_limited_per_number_and_per_address(client, chen, sms_outbox):
    with time_machine.travel(NOW, tick=False) as clock:
        for _ in range(5):
            assert portal(client, phone=PHONE, how="send_code") == ""
            clock.shift(61)
        assert len(sms_outbox) == 5
        assert "足夠" in portal(client, "10.0.0.9", phone=PHONE, how="send_code")
        assert len(sms_outbox) == 5
        # One address asking codes for many numbers (registered or not) is stopped at ten.
        answers = [
            portal(client, "203.0.113.7", phone=f"1370000{n:04d}", how="send_code")
            for n in range(12)
        ]
        assert answers[:10] == [""] * 10
        assert "網絡" in answers[10]
        assert "網絡" in answers[11]


class CountingHasher(PBKDF2PasswordHasher):
    """PBKDF2 as in production, counting how often it hashes."""

    hashes = 0

    def encode(self, password, salt, iterations=None):
        CountingHasher.hashes += 1
        return super().encode(password, salt, iterations)


def test_a_sign_in_hashes_once_whether_or_not_the_number_is_registered(client, settings, bsw):
    settings.PASSWORD_HASHERS = ["tests.test_sign_in_guessing.CountingHasher"]
    user = User.objects.create_user(username="chen", password=PASSWORD)
    Resident.objects.filter(phone=PHONE).update(user=user)
    spent = {}
    for label, phone in (("registered", PHONE), ("unknown", "13900009999")):
        CountingHasher.hashes = 0
        assert portal(client, phone=phone, password="guess", how="password")
        spent[label] = CountingHasher.hashes
    assert spent == {"registered": 1, "unknown": 1}


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "client"),
    [
        ("10.0.0.5", "", [], "10.0.0.5"),
        ("198.51.100.7", "1.2.3.4", [], "198.51.100.7"),  # nobody trusted: the header is ignored
        ("10.0.0.5", "1.2.3.4", ["10.0.0.0/8"], "1.2.3.4"),
        ("10.0.0.5", "6.6.6.6, 1.2.3.4", ["10.0.0.0/8"], "1.2.3.4"),  # the client forged a hop
        ("10.0.0.5", "1.2.3.4, 10.0.0.9", ["10.0.0.0/8"], "1.2.3.4"),  # two proxies
        ("198.51.100.7", "1.2.3.4", ["10.0.0.0/8"], "198.51.100.7"),  # not from the proxy
        ("10.0.0.5", "not-an-address", ["10.0.0.0/8"], "10.0.0.5"),
        ("::1", "2001:db8::1", ["::1"], "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_past_trusted_proxies_only(
    settings, remote, forwarded, trusted, client
):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == client


def test_behind_a_trusted_proxy_residents_are_told_apart(client, settings, chen):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    with time_machine.travel(NOW, tick=False):
        for n in range(30):
            client.post(
                reverse("portal:sign_in"),
                {"phone": f"1390000{n:04d}", "password": "guess", "how": "password"},
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR="203.0.113.66",
            )
        page = client.post(
            reverse("portal:sign_in"),
            {"phone": PHONE, "password": PASSWORD, "how": "password"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.20",
        )
        assert page.status_code == 302
