"""Issue #20, done when: 陳美玲 of 3-1202 pays her overdue statement by WeChat Pay from the portal
(against the provider stub on 127.0.0.1), the payment is recorded once however often WeChat
notifies, she asks for an e-invoice and the cashier issues it; the quarter's arrears page then
shows each household still owing with its reminders (a text by estate, a door visit by hand)."""

import json
import urllib.request
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from estate.accounts.models import User
from estate.billing.models import Payment
from estate.dunning.models import ReminderAttempt
from estate.invoicing.models import Invoice
from estate.messaging import actions as messaging
from estate.messaging.choices import Channel, ConsentSource
from estate.onlinepay.models import OnlinePayment
from estate.properties.models import Resident
from tests.billing_fixtures import D, issue_q4
from tests.browser.steps import sign_in
from tests.factories import PASSWORD


@pytest.fixture
def overdue(bsw, fees, cashier):
    """The 2026Q4 bills issued 40 days ago: due after the office's 30 days, so overdue now."""
    with time_machine.travel(timezone.now() - timedelta(days=40)):
        return issue_q4(bsw, fees, cashier)


def stub_pays(stub, out_trade_no: str) -> int:
    """The payer pays in WeChat: the stub sends its signed, encrypted notification to estate."""
    request = urllib.request.Request(f"{stub.base_url}/_test/pay/{out_trade_no}", method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return int(json.loads(answer.read())["delivered"])


def test_a_resident_pays_by_wechat_gets_an_invoice_and_the_arrears_show_each_reminder(
    page: Page,
    live_server,
    transactional_db,
    bsw,
    cashier,
    overdue,
    merchants,
    payment_stub,
    mailoutbox,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    chen = Resident.objects.get(phone="13812341234")
    chen.user = User.objects.create_user(username="chen", password=PASSWORD)
    chen.save(update_fields=["user"])
    neighbour = overdue["3-1201"].household.residents.get()
    messaging.record_consent(
        resident=neighbour, channel=Channel.SMS, granted=True, source=ConsentSource.DESK
    )
    base = live_server.url

    # 陳美玲, on her phone: her bill, paid by WeChat (the QR code, outside WeChat).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/portal/sign-in/")
    page.locator("[name=phone]").fill("138 1234 1234")
    page.locator("[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_test_id("sign-in-password").click()
    page.goto(f"{base}/portal/bills/")
    expect(page.get_by_test_id("bill").first).to_contain_text("1,443.00")
    with page.expect_navigation():
        page.get_by_test_id("pay-wechat").click()
    expect(page.get_by_test_id("pay-qr").locator("svg")).to_be_visible()
    order = OnlinePayment.objects.get(statement=overdue["3-1202"])
    assert order.amount == D("1443.00")

    assert stub_pays(payment_stub, order.out_trade_no) == 204
    expect(page.get_by_test_id("pay-status")).to_contain_text("已付款", timeout=10_000)
    # WeChat notifies again (it retries until answered, and may answer late): nothing changes.
    assert stub_pays(payment_stub, order.out_trade_no) == 204
    bill = overdue["3-1202"]
    bill.refresh_from_db()
    assert (bill.paid, bill.balance) == (D("1443.00"), D("0.00"))
    payment = Payment.objects.get(statement=bill)
    assert (payment.method, payment.amount) == ("wechat", D("1443.00"))

    # She asks for an e-invoice for that payment, to her email.
    page.goto(f"{base}/portal/bills/")
    page.get_by_test_id(f"invoice-of-{payment.pk}").get_by_test_id("request-invoice").click()
    form = page.get_by_test_id("invoice-request-form")
    form.locator("[name=buyer_name]").fill("陳美玲")
    form.locator("[name=email]").fill("chen@example.com")
    with page.expect_navigation():
        form.locator("button").click()
    expect(page.get_by_test_id(f"invoice-of-{payment.pk}")).to_contain_text("已申請發票")

    # The cashier issues it; it reaches her by email with its PDF, and her bills page links it.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "cashier")
    page.goto(f"{base}/billing/invoices/?office={bsw.pk}")
    requests = page.get_by_test_id("invoice-requests")
    expect(requests).to_contain_text("陳美玲")
    with page.expect_navigation():
        requests.get_by_role("button", name="開票").click()
    invoice = Invoice.objects.get()
    expect(page.get_by_test_id("invoices-issued")).to_contain_text(invoice.number)
    assert invoice.amount == D("1443.00")
    (mail,) = mailoutbox
    assert mail.to == ["chen@example.com"]
    assert mail.attachments[0][1].startswith(b"%PDF")

    # The quarter's arrears: the two households still owing, both reminded by estate's message
    # (a text to the flat, whose owner agreed to texts; the shop's owner is told in the portal);
    # the cashier then records the door visit to the shop.
    page.goto(f"{base}/billing/arrears/?office={bsw.pk}")
    arrears = page.get_by_test_id("arrears")
    expect(arrears.locator("tbody tr")).to_have_count(2)
    expect(arrears).not_to_contain_text("3-1202")
    flat, shop = overdue["3-1201"].household_id, overdue["3-S01"].household_id
    expect(page.get_by_test_id(f"trail-{flat}")).to_contain_text("尚未催繳")
    with page.expect_navigation():
        page.get_by_test_id("remind").locator("button").click()
    page.goto(f"{base}/billing/arrears/?office={bsw.pk}")
    expect(page.get_by_test_id(f"trail-{flat}")).to_contain_text("1×")
    expect(page.get_by_test_id(f"trail-{flat}")).to_contain_text("短信")
    expect(page.get_by_test_id(f"trail-{shop}")).to_contain_text("1×")
    with page.expect_navigation():
        page.get_by_test_id(f"trail-{shop}").get_by_role("link").click()
    visit = page.get_by_test_id("attempt-form")
    visit.locator("select[name$=channel]").select_option("visit")
    visit.locator("select[name$=result]").select_option("not_reached")
    visit.locator("[name$=note]").fill("店舖關門，已留下催繳通知")
    with page.expect_navigation():
        visit.locator("button").click()
    expect(page.get_by_test_id("attempts")).to_contain_text("店舖關門")

    page.goto(f"{base}/billing/arrears/?office={bsw.pk}")
    expect(page.get_by_test_id(f"trail-{flat}")).to_contain_text("1×")
    expect(page.get_by_test_id(f"trail-{shop}")).to_contain_text("2×")
    expect(page.get_by_test_id(f"trail-{shop}")).to_contain_text("上門拜訪")
    channels = ReminderAttempt.objects.filter(household_id=shop).values_list("channel", flat=True)
    assert sorted(channels) == ["portal", "visit"], sorted(channels)
