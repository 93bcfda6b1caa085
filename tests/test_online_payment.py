"""Online payment of a statement from the portal, against a stub of WeChat Pay v3 and Alipay on
127.0.0.1 that signs as they do: paid once, replays and forgeries change nothing, a wrong amount
is refused and kept, late notices after a close are recorded, unpaid orders expire, the day's
bill is reconciled, and the pages are the resident's and the cashier's."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from estate.billing.models import Payment, Statement
from estate.onlinepay import actions, wechatpay
from estate.onlinepay.choices import DifferenceKind, Outcome, Status
from estate.onlinepay.models import NotificationReceived, OnlinePayment, ReconciliationRun
from tests.billing_fixtures import D
from tests.factories import PASSWORD

User = get_user_model()


@pytest.fixture
def chen(bsw):
    from estate.properties.models import Resident

    user = User.objects.create_user(username="chen", password=PASSWORD)
    Resident.objects.filter(phone="13812341234").update(user=user)
    return user


@pytest.fixture
def portal(client, chen):
    client.force_login(chen)
    return client


@pytest.fixture
def bill(issued):
    return issued["3-1202"]  # owes 1,443.00


def start(portal, bill, provider, **form):
    return portal.post(reverse("portal_pay:start", args=[bill.pk, provider]), form)


def notify_url(merchant):
    return f"http://testserver{reverse('onlinepay:wechat_notify', args=[merchant.pk])}"


def post_notice(client, note):
    return client.post(
        note.path, data=note.body, content_type=note.content_type, headers=note.headers
    )


def only_open(bill):
    return OnlinePayment.objects.get(statement=bill, status=Status.STARTED)


def test_pay_by_wechat_native_end_to_end(portal, client, bill, merchants, payment_stub):
    page = portal.get(reverse("portal:bills")).content.decode()
    assert 'data-testid="pay-wechat"' in page
    assert 'data-testid="pay-alipay"' in page
    answer = start(portal, bill, "wechat")
    payment = only_open(bill)
    assert answer.url == reverse("portal_pay:page", args=[payment.out_trade_no])
    assert (payment.channel, payment.amount) == ("native", D("1443.00"))
    assert payment.code_url.startswith("weixin://wxpay/bizpayurl")
    assert payment_stub.orders[payment.out_trade_no].cents == 144300
    shown = portal.get(answer.url).content.decode()
    assert 'data-testid="pay-qr"' in shown
    assert "<svg" in shown
    assert 'hx-trigger="every 3s"' in shown
    # Pressing again while it is open offers the same order, not a second one.
    start(portal, bill, "wechat")
    assert OnlinePayment.objects.filter(statement=bill).count() == 1

    note = payment_stub.pay(payment.out_trade_no)
    assert post_notice(client, note).status_code == 204
    bill.refresh_from_db()
    payment.refresh_from_db()
    assert (bill.paid, bill.balance, payment.status) == (D("1443.00"), D("0.00"), Status.PAID)
    received = Payment.objects.get(statement=bill)
    assert received == payment.payment
    assert (received.method, received.reference) == ("wechat", payment.transaction_id)
    assert received.received_by.username == actions.SYSTEM_USERNAME
    status = portal.get(
        reverse("portal_pay:status", args=[payment.out_trade_no]), headers={"HX-Request": "true"}
    )
    shown = status.content.decode()
    assert 'data-testid="pay-status"' in shown
    assert "hx-trigger" not in shown
    assert "<html" not in shown  # the partial only

    # The same notification again (WeChat retries): answered the same, nothing changes.
    assert post_notice(client, note).status_code == 204
    bill.refresh_from_db()
    assert bill.paid == D("1443.00")
    assert Payment.objects.filter(statement=bill).count() == 1
    assert NotificationReceived.objects.get().outcome == Outcome.RECORDED
    # A second, different notice of the same payment is taken as already recorded.
    assert (
        post_notice(
            client, payment_stub.wechat_notification(payment_stub.orders[payment.out_trade_no])
        ).status_code
        == 204
    )
    assert Payment.objects.filter(statement=bill).count() == 1
    assert NotificationReceived.objects.filter(outcome=Outcome.ALREADY).count() == 1
    # A paid statement starts nothing and shows no buttons.
    start(portal, bill, "wechat")
    assert OnlinePayment.objects.filter(statement=bill).count() == 1
    assert 'data-testid="pay-wechat"' not in portal.get(reverse("portal:bills")).content.decode()


def test_a_forged_or_tampered_notification_changes_nothing(
    portal, client, bill, merchants, payment_stub
):
    start(portal, bill, "wechat")
    payment = only_open(bill)
    note = payment_stub.pay(payment.out_trade_no)
    forged = dict(
        note.headers,
        **{"Wechatpay-Signature": note.headers["Wechatpay-Signature"][:-8] + "AAAAAAA="},
    )
    assert (
        client.post(
            note.path, data=note.body, content_type=note.content_type, headers=forged
        ).status_code
        == 401
    )
    tampered = note.body.replace(b'"TRANSACTION.SUCCESS"', b'"TRANSACTION.SUCCEED"')
    assert (
        client.post(
            note.path, data=tampered, content_type=note.content_type, headers=note.headers
        ).status_code
        == 401
    )
    stale = dict(
        note.headers,
        **{"Wechatpay-Timestamp": str(int(note.headers["Wechatpay-Timestamp"]) - 3600)},
    )
    assert (
        client.post(
            note.path, data=note.body, content_type=note.content_type, headers=stale
        ).status_code
        == 401
    )
    bill.refresh_from_db()
    assert bill.paid == D("0.00")
    assert not NotificationReceived.objects.exists()
    assert not Payment.objects.exists()
    assert only_open(bill) == payment


def test_a_notification_of_another_amount_is_refused_and_kept(
    portal, client, bill, merchants, payment_stub
):
    start(portal, bill, "wechat")
    payment = only_open(bill)
    note = payment_stub.pay(payment.out_trade_no, cents=100)
    assert post_notice(client, note).status_code == 204  # taken: WeChat need not send it again
    kept = NotificationReceived.objects.get()
    assert kept.outcome == Outcome.REFUSED
    assert "1.00" in kept.reason
    assert kept.online_payment == payment
    bill.refresh_from_db()
    payment.refresh_from_db()
    assert bill.paid == D("0.00")
    assert payment.status == Status.FAILED
    assert not Payment.objects.exists()


def test_closed_then_paid_out_of_order_is_recorded_once(
    portal, client, bill, merchants, payment_stub
):
    """The payer scanned just before the order was replaced by an Alipay one: WeChat's notice
    arrives after the close, and the money it took is recorded, once."""
    start(portal, bill, "wechat")
    first = only_open(bill)
    note = payment_stub.pay(first.out_trade_no)  # paid there; the notice is still on its way
    start(portal, bill, "alipay")  # closing asks WeChat first: it says paid, so it is recorded
    first.refresh_from_db()
    assert first.status == Status.PAID
    assert not OnlinePayment.objects.filter(statement=bill, status=Status.STARTED).exists()
    assert post_notice(client, note).status_code == 204
    bill.refresh_from_db()
    assert bill.paid == D("1443.00")
    assert Payment.objects.count() == 1
    assert NotificationReceived.objects.get().outcome == Outcome.ALREADY


def test_a_notice_after_the_order_was_closed_still_records_the_money(
    portal, client, bill, merchants, payment_stub
):
    start(portal, bill, "wechat")
    payment = only_open(bill)
    actions.end_payment(payment, status=Status.CLOSED)
    payment.refresh_from_db()
    assert payment.status == Status.CLOSED
    payment_stub.orders[payment.out_trade_no].state = "NOTPAY"  # the payer's app had it open
    assert post_notice(client, payment_stub.pay(payment.out_trade_no)).status_code == 204
    payment.refresh_from_db()
    bill.refresh_from_db()
    assert payment.status == Status.PAID
    assert bill.paid == D("1443.00")


def test_an_unpaid_order_expires_and_a_paid_one_found_by_query_is_recorded(
    portal, bill, issued, merchants, payment_stub, chen
):
    start(portal, bill, "wechat")
    unpaid = only_open(bill)
    other = issued["3-1201"]
    paid_there = actions.start_payment(
        other,
        provider="wechat",
        channel="native",
        by=chen,
        notify_url=notify_url(merchants["wechat"]),
    )
    payment_stub.pay(paid_there.out_trade_no)  # its notice never arrives
    assert actions.expire_due(timezone.now()) == 0  # nothing is due yet
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert actions.expire_due() == 2
    unpaid.refresh_from_db()
    paid_there.refresh_from_db()
    assert unpaid.status == Status.EXPIRED
    assert payment_stub.orders[unpaid.out_trade_no].state == "CLOSED"
    assert paid_there.status == Status.PAID
    other.refresh_from_db()
    assert other.paid == D("1630.50")
    # After expiry the resident starts afresh.
    start(portal, bill, "wechat")
    assert only_open(bill).pk != unpaid.pk


def test_alipay_precreate_and_notify(portal, client, bill, merchants, payment_stub):
    start(portal, bill, "alipay")
    payment = only_open(bill)
    assert payment.channel == "precreate"
    assert payment.code_url.startswith("https://qr.alipay.com/")
    note = payment_stub.pay(payment.out_trade_no)
    bad = note.body.replace(b"TRADE_SUCCESS", b"TRADE_CLOSED")
    refused = client.post(note.path, data=bad, content_type=note.content_type)
    assert refused.status_code == 400
    assert refused.content == b"fail"
    answer = client.post(note.path, data=note.body, content_type=note.content_type)
    assert answer.content == b"success"
    assert (
        client.post(note.path, data=note.body, content_type=note.content_type).content == b"success"
    )
    bill.refresh_from_db()
    assert bill.paid == D("1443.00")
    assert Payment.objects.get().method == "alipay"


def test_alipay_page_pay_sends_the_payer_to_a_signed_address(portal, bill, merchants, payment_stub):
    answer = start(portal, bill, "alipay", channel="page")
    assert answer.status_code == 302
    assert answer.url.startswith(payment_stub.base_url + "/gateway.do?")
    assert "method=alipay.trade.page.pay" in answer.url
    assert "sign=" in answer.url


def test_inside_wechat_the_page_gets_the_signed_jsapi_parameters(
    portal, bill, merchants, payment_stub, wechat_account
):
    from estate.messaging.models import WeChatBinding
    from estate.properties.models import Resident

    resident = Resident.objects.get(user__username="chen")
    WeChatBinding.objects.create(
        office=resident.office,
        account=wechat_account,
        resident=resident,
        openid="o-chen",
        bound_at=timezone.now(),
    )
    phone = "Mozilla/5.0 (iPhone) MicroMessenger/8.0.50"
    answer = portal.post(
        reverse("portal_pay:start", args=[bill.pk, "wechat"]), headers={"User-Agent": phone}
    )
    payment = only_open(bill)
    assert payment.channel == "jsapi"
    assert payment.prepay_id.startswith("wx")
    page = portal.get(answer.url, headers={"User-Agent": phone}).content.decode()
    assert "paySign" in page
    assert f"prepay_id={payment.prepay_id}" in page


def test_reconciliation_lists_the_differences_for_the_cashier(
    client, portal, bill, issued, merchants, payment_stub, cashier, worker, chen
):
    start(portal, bill, "wechat")
    payment = only_open(bill)
    post_notice(client, payment_stub.pay(payment.out_trade_no))
    payment_stub.bill_extra.append(("wechat", "E-NOT-HERE", "88.00"))
    payment.refresh_from_db()
    day = timezone.localtime(payment.paid_at).date()
    # Recorded here but missing from the bill: another statement paid by query only here.
    other = actions.start_payment(
        issued["3-1201"],
        provider="wechat",
        channel="native",
        by=chen,
        notify_url=notify_url(merchants["wechat"]),
    )
    post_notice(client, payment_stub.pay(other.out_trade_no))
    del payment_stub.orders[other.out_trade_no]
    run = actions.reconcile(merchants["wechat"], bill_date=day)
    kinds = sorted((d.kind, d.out_trade_no) for d in run.differences.all())
    assert kinds == sorted(
        [
            (DifferenceKind.MISSING_HERE, "E-NOT-HERE"),
            (DifferenceKind.MISSING_THERE, other.out_trade_no),
        ]
    )
    assert run.matched == 1
    assert run.bill_rows == 2
    # Run again: the same, not twice as many.
    assert actions.reconcile(merchants["wechat"], bill_date=day).differences.count() == 2
    assert ReconciliationRun.objects.count() == 1
    payment_stub.bill_extra.append(("alipay", "A-NOT-HERE", "12.30"))
    alipay_run = actions.reconcile(merchants["alipay"], bill_date=day)
    assert alipay_run.status == "done"
    assert [(d.kind, d.amount_there) for d in alipay_run.differences.all()] == [
        (DifferenceKind.MISSING_HERE, D("12.30"))
    ]

    client.force_login(cashier)
    url = reverse("onlinepay:reconciliation")
    page = client.get(url).content.decode()
    assert page.count('data-testid="difference"') == 3
    assert "E-NOT-HERE" in page
    yesterday = timezone.localdate() - timedelta(days=1)
    assert client.post(url, {"bill_date": yesterday.isoformat()}).status_code == 302
    assert ReconciliationRun.objects.filter(bill_date=yesterday).count() == 2
    for wrong in ("not a day", timezone.localdate().isoformat()):  # today's bill is not out yet
        refused = client.post(url, {"bill_date": wrong})
        assert 'data-field="bill_date"' in refused.content.decode()
    client.force_login(worker)
    assert client.get(url).status_code == 403
    client.force_login(chen)
    assert client.get(url).status_code == 302  # a resident goes to the portal


def test_the_scheduler_enqueues_yesterdays_reconciliation_once_a_day(merchants, payment_stub):
    morning = timezone.localtime().replace(hour=11, minute=0)
    with time_machine.travel(morning):
        assert actions.reconcile_yesterday() == 2
        assert ReconciliationRun.objects.count() == 2  # the immediate backend ran them
        assert actions.reconcile_yesterday() == 0


def test_no_buttons_without_an_enabled_merchant_and_other_households_orders_are_hidden(
    portal, bill, issued, merchants, payment_stub, client, chen
):
    merchants["alipay"].enabled = False
    merchants["alipay"].save()
    page = portal.get(reverse("portal:bills")).content.decode()
    assert 'data-testid="pay-wechat"' in page
    assert 'data-testid="pay-alipay"' not in page
    assert start(portal, bill, "alipay").status_code == 302
    assert not OnlinePayment.objects.exists()
    theirs = actions.start_payment(
        issued["3-1201"],
        provider="wechat",
        channel="native",
        by=chen,
        notify_url=notify_url(merchants["wechat"]),
    )
    assert portal.get(reverse("portal_pay:page", args=[theirs.out_trade_no])).status_code == 404
    assert start(portal, issued["3-1201"], "wechat").status_code == 404


def test_a_request_the_provider_cannot_verify_is_refused_there(
    portal, bill, merchants, payment_stub, tmp_path
):
    from tests.stubs.payment_providers import new_key, private_pem

    wrong = tmp_path / "wrong.pem"
    wrong.write_bytes(private_pem(new_key()))
    merchants["wechat"].private_key_file = str(wrong)
    merchants["wechat"].save()
    start(portal, bill, "wechat")
    assert payment_stub.refused == ["/v3/pay/transactions/native"]
    assert OnlinePayment.objects.get().status == Status.FAILED
    assert Statement.objects.get(pk=bill.pk).paid == D("0.00")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are a PostgreSQL matter")
@pytest.mark.django_db(transaction=True)
def test_racing_notices_and_the_sweeps_query_make_one_payment(bill, merchants, payment_stub, chen):
    from tests.test_concurrency_pg import race

    merchant = merchants["wechat"]
    payment = actions.start_payment(
        bill, provider="wechat", channel="native", by=chen, notify_url=notify_url(merchant)
    )
    notes = [payment_stub.pay(payment.out_trade_no) for _ in range(4)]  # four notification ids

    def work(index):
        if index < len(notes):
            notice = wechatpay.read_notification(merchant, notes[index].headers, notes[index].body)
            return actions.take_notification(merchant, notice).outcome
        mine = OnlinePayment.objects.select_related("merchant").get(pk=payment.pk)
        return actions.end_payment(mine, status=Status.EXPIRED)

    results = race(6, work)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Payment.objects.filter(statement=bill).count() == 1
    assert Statement.objects.get(pk=bill.pk).paid == D("1443.00")
    assert OnlinePayment.objects.get(pk=payment.pk).status == Status.PAID
