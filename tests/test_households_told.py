"""Households are told of their fees and the office's notices: a bill issued, a payment received
(with its receipt), a reminder of what is owed, a notice published; each once per household,
to its main contact, by the channels they consented to; a failure for many is one task for
the desk. The desk records consent said on the phone; the console counts who was not reached."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from estate.accounts.models import User
from estate.accounts.roles import Role
from estate.billing import payments
from estate.messaging import actions
from estate.messaging.choices import Channel, ConsentSource, DeliveryState, Kind
from estate.messaging.household_events import tell_arrears, tell_bills_issued
from estate.messaging.models import Consent, Delivery, Message
from estate.notices import actions as notices
from estate.notifications.models import Notification
from estate.properties.models import Resident
from tests.billing_fixtures import D
from tests.factories import PASSWORD, staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
# After the 2026Q4 bills fell due (2026-10-31), in the day, out of quiet hours.
NOVEMBER = datetime(2026, 11, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def issued(issued_on_october_first):
    """Bills issued on 2026-10-01, due 2026-10-31: overdue in November."""
    return issued_on_october_first


@pytest.fixture
def in_november():
    with time_machine.travel(NOVEMBER, tick=False) as traveller:
        yield traveller


@pytest.fixture
def chen(bsw):
    """陳美玲 of 3-1202, with a portal login and texts consented to."""
    chen = Resident.objects.get(phone="13812341234")
    chen.user = User.objects.create_user(username="chen", password=PASSWORD)
    chen.save(update_fields=["user"])
    actions.record_consent(
        resident=chen, channel=Channel.SMS, granted=True, source=ConsentSource.PORTAL
    )
    return chen


def messages_of(kind):
    return {m.resident.household.unit.address: m for m in Message.objects.filter(kind=kind)}


def test_each_household_is_told_of_its_bill_once(
    in_november, issued, chen, sms_outbox, django_capture_on_commit_callbacks
):
    run = issued["3-1202"].run
    with django_capture_on_commit_callbacks(execute=True):
        told = tell_bills_issued.call(run.pk)
    assert told == 3  # 3-1201, 3-1202, 3-S01; the vacant 3-1101 has no household
    bills = messages_of(Kind.BILL_ISSUED)
    assert set(bills) == {"3-1201", "3-1202", "3-S01"}
    chens = bills["3-1202"]
    assert "1,443.00" in chens.text
    assert "2026-10-31" in chens.text
    assert chens.link.endswith(reverse("portal:bills"))
    assert [text for _phone, text, _key in sms_outbox] == [chens.text]  # only she consented
    assert tell_bills_issued.call(run.pk) == 0  # a second run of the task tells nobody twice
    assert Message.objects.filter(kind=Kind.BILL_ISSUED).count() == 3


def test_a_payment_is_told_with_a_receipt_only_its_household_may_open(
    client, in_november, issued, chen, cashier, sms_outbox, django_capture_on_commit_callbacks
):
    bill = issued["3-1202"]
    with django_capture_on_commit_callbacks(execute=True):
        payment = payments.receive_payment(bill, amount=D("443.00"), method="cash", by=cashier)
    message = Message.objects.get(kind=Kind.PAYMENT_RECEIVED)
    assert message.resident == chen
    assert "443.00" in message.text
    assert bill.number in message.text
    receipt = reverse("portal:receipt_pdf", args=[payment.pk])
    assert message.link.endswith(receipt)
    assert sms_outbox[0][1] == message.text
    client.force_login(chen.user)
    pdf = client.get(receipt)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    other = Resident.objects.get(household__unit__address="3-1201")
    other.user = User.objects.create_user(username="neighbour", password=PASSWORD)
    other.save(update_fields=["user"])
    client.force_login(other.user)
    assert client.get(receipt).status_code == 404


def test_the_cashier_reminds_those_who_owe_once_a_day_without_threats(
    client, in_november, issued, chen, cashier, django_capture_on_commit_callbacks
):
    payments.receive_payment(issued["3-S01"], amount=D("1040.25"), method="cash", by=cashier)
    client.force_login(cashier)
    page = client.get(reverse("billing:arrears"))
    assert b'data-testid="remind"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("billing:arrears"), {"office": issued["3-1202"].office_id})
        client.post(reverse("billing:arrears"), {"office": issued["3-1202"].office_id})
    reminded = messages_of(Kind.ARREARS)
    assert set(reminded) == {"3-1201", "3-1202"}  # 3-S01 paid in full
    assert "1,443.00" in reminded["3-1202"].text
    assert "2026-10-31" in reminded["3-1202"].text
    for message in reminded.values():
        assert not any(word in message.text for word in ("停水", "停電", "斷水", "斷電"))
    # The next day's reminder is a new one; one not yet due is not reminded.
    assert tell_arrears.call(issued["3-1202"].office_id, "2026-11-11") == 2
    assert tell_arrears.call(issued["3-1202"].office_id, "2026-10-15") == 0


def test_a_notice_published_is_told_to_every_household(
    in_november, bsw, issued, chen, reception, django_capture_on_commit_callbacks
):
    notice = notices.write_notice(
        office=bsw, by=reception, title="12月5日電梯保養", body="當日9時至12時停用。",
        starts_on=date(2026, 11, 10),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        notices.publish(notice, by=reception)
    told = messages_of(Kind.NOTICE)
    assert set(told) == {"3-1201", "3-1202", "3-S01"}
    assert "12月5日電梯保養" in told["3-1202"].text
    assert told["3-1202"].link.endswith(reverse("portal:home"))


def test_a_failure_told_to_many_is_one_task_for_the_desk(
    aliyun, in_november, issued, chen, reception, django_capture_on_commit_callbacks
):
    """Texts refused for want of a registered template fail for every household at once: the
    desk is told once, and its list names each household."""
    neighbour = Resident.objects.get(household__unit__address="3-1201")
    neighbour.phone = "13700000001"
    neighbour.save(update_fields=["phone"])
    actions.record_consent(
        resident=neighbour, channel=Channel.SMS, granted=True, source=ConsentSource.DESK
    )
    with django_capture_on_commit_callbacks(execute=True):
        tell_bills_issued.call(issued["3-1202"].run_id)
    failed = Delivery.objects.filter(state=DeliveryState.FAILED, message__kind=Kind.BILL_ISSUED)
    assert failed.count() == 2
    assert all("沒有登記短信範本" in delivery.error for delivery in failed)
    tasks = Notification.objects.filter(kind="message_unreached", recipient=reception)
    assert tasks.count() == 1
    assert "部分住戶" in tasks.get().text
    assert "賬單已出" in tasks.get().text


def test_the_desk_records_consent_said_on_the_phone(client, bsw, reception, leaking_pipe):
    chen = Resident.objects.get(phone="13812341234")
    client.force_login(reception)
    unit = reverse("properties:unit_detail", args=[chen.household.unit_id])
    assert f'data-testid="consent-{chen.pk}"'.encode() in client.get(unit).content
    url = reverse("messaging:desk_consent", args=[chen.pk])
    client.post(url, {"channel": Channel.SMS, "granted": "yes", "source": "desk"})
    consent = Consent.objects.get(resident=chen)
    assert (consent.granted, consent.source, consent.recorded_by) == (True, "desk", reception)
    assert actions.consented_channels(chen) == {Channel.SMS}
    client.post(url, {"channel": Channel.SMS, "granted": "no", "source": "desk"})
    assert actions.consented_channels(chen) == set()
    refused = client.post(url, {"channel": Channel.WECHAT, "granted": "yes", "source": "desk"})
    assert refused.status_code == 302
    assert Consent.objects.filter(resident=chen).count() == 2
    worker = staff("tech", Role.WORKER, bsw)
    client.force_login(worker)
    assert (
        client.post(url, {"channel": "sms", "granted": "yes", "source": "desk"}).status_code == 403
    )


def test_the_console_counts_requesters_not_reached(client, bsw, reception, chen, leaking_pipe):
    message = Message.objects.create(
        office=bsw, kind=Kind.RECEIVED, key="k", resident=chen, recipient_key="r", language="zh-hant",
        text="…", created_at=NOVEMBER,
    )  # fmt: skip
    Delivery.objects.create(
        message=message, channel=Channel.SMS, address=chen.phone, state=DeliveryState.FAILED,
        error="號碼不存在",
    )  # fmt: skip
    client.force_login(reception)
    console = client.get(reverse("frontdesk:console")).content.decode()
    assert 'data-testid="unreached"' in console
    assert reverse("messaging:unreached") in console
