"""Residents sign in to the portal with their phone number and a password or an SMS code; wrong
tries are slowed and then locked, with a clear message; nothing tells whether a number exists."""

import re

import pytest
import time_machine
from django.urls import reverse

from estate.accounts.models import User
from estate.properties.models import Resident
from tests.factories import PASSWORD

PHONE = "13812341234"  # 陳美玲 of 3-1202 (the bsw fixture)


@pytest.fixture
def chen(bsw):
    user = User.objects.create_user(username="chen", password=PASSWORD)
    Resident.objects.filter(phone=PHONE).update(user=user)
    return user


def sign_in(client, **form):
    return client.post(reverse("portal:sign_in"), {"phone": PHONE, **form})


def error(page):
    found = re.search(r'data-testid="sign-in-error">([^<]*)<', page.content.decode())
    return found.group(1) if found else ""


def test_phone_and_password_open_the_portal(client, chen):
    page = sign_in(client, password=PASSWORD, how="password")
    assert page.status_code == 302
    assert page["Location"] == reverse("portal:home")
    assert "陳美玲" in client.get(reverse("portal:home")).content.decode()


def test_the_phone_may_be_typed_with_spaces_and_dashes(client, chen):
    page = client.post(
        reverse("portal:sign_in"),
        {"phone": "138-1234 1234", "password": PASSWORD, "how": "password"},
    )
    assert page.status_code == 302


def test_wrong_passwords_are_slowed_then_locked(client, chen):
    with time_machine.travel("2026-11-26 10:00:00 +08:00", tick=False) as clock:
        for _ in range(3):
            assert (
                error(sign_in(client, password="nope", how="password")) == "電話號碼或密碼不正確。"
            )
        slowed = sign_in(client, password=PASSWORD, how="password")
        assert "30" in error(slowed)  # wait 30 seconds
        for _ in range(3):
            clock.shift(31)
            last = sign_in(client, password="nope", how="password")
        assert "15" in error(last)  # locked for 15 minutes
        clock.shift(60)
        assert "鎖定" in error(sign_in(client, password=PASSWORD, how="password"))
        clock.shift(15 * 60)
        assert sign_in(client, password=PASSWORD, how="password").status_code == 302


def test_an_unknown_number_gets_the_same_answer(client, chen):
    stranger = client.post(
        reverse("portal:sign_in"), {"phone": "13900000000", "password": "x", "how": "password"}
    )
    assert error(stranger) == error(sign_in(client, password="x", how="password"))
    asked = client.post(reverse("portal:sign_in"), {"phone": "13900000000", "how": "send_code"})
    assert 'data-testid="sign-in-code"' in asked.content.decode()  # looks the same as a real one


def last_code(sms_outbox):
    number, text, _key = sms_outbox[-1]
    assert number == PHONE
    (code,) = re.findall(r"(\d{6})", text)
    return code


def test_a_code_by_sms_signs_in_once(client, chen, sms_outbox):
    with time_machine.travel("2026-11-26 10:00:00 +08:00", tick=False) as clock:
        sign_in(client, how="send_code")
        code = last_code(sms_outbox)
        again = sign_in(client, how="send_code")
        assert "一分鐘" in error(again)
        assert error(sign_in(client, code="000000" if code != "000000" else "111111", how="code"))
        assert sign_in(client, code=code, how="code").status_code == 302
        client.logout()
        assert error(sign_in(client, code=code, how="code"))  # used once
        clock.shift(61)
        sign_in(client, how="send_code")
        late = last_code(sms_outbox)
        clock.shift(6 * 60)
        assert "過期" in error(sign_in(client, code=late, how="code"))


def test_staff_pages_send_residents_to_the_portal(client, chen):
    sign_in(client, password=PASSWORD, how="password")
    assert client.get(reverse("workorders:queue"))["Location"] == reverse("portal:home")
