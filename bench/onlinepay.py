"""Online-payment benchmark: an office of 100,000 households with the quarter's statements
issued, N payments started, then each paid by a WeChat Pay notification posted to estate's
callback (signature checked, resource decrypted, payment recorded, receipt and household
message), and the same notifications replayed. Reports p50/p95 per notification.

Target (issue 20): a notification handled in ≤ 50 ms at p95 with 100,000 statements in the
quarter.
"""

from __future__ import annotations

import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench import billing
from bench.timing import report


def main(*, households: int = 100_000, notifications: int = 500) -> None:
    from estate.accounts.models import User
    from estate.billing import runs
    from estate.billing.models import Statement
    from estate.core.periods import Quarter
    from estate.onlinepay.models import MerchantAccount, OnlinePayment
    from tests.stubs.payment_providers import PLATFORM_KEY_ID, Keys, Order, PaymentStub, new_key

    call_command("seed_demo", verbosity=0)
    cashier = User.objects.get(username="cashier")
    office = billing.fill("PAY", households)
    run = runs.issue(office, Quarter(2026, 4), by=cashier)
    print(f"{'statements in the quarter':<56} {run.statements_issued:,}")

    keys = Keys(Path(tempfile.mkdtemp()), new_key(), new_key(), new_key(), new_key()).write()
    stub = PaymentStub(keys)  # not serving: only its signing and encryption are used
    merchant = MerchantAccount.objects.create(
        office=office, provider="wechat", enabled=True, app_id=stub.wechat_appid,
        mch_id=stub.mchid, serial_no="BENCH", base_url="http://127.0.0.1:9",
        private_key_file=keys.path("wechat_merchant.pem"),
        provider_key_file=keys.path("wechat_platform_public.pem"), provider_key_id=PLATFORM_KEY_ID,
        api_v3_key_file=keys.path("wechat_apiv3.key"),
    )  # fmt: skip
    url = "http://testserver" + reverse("onlinepay:wechat_notify", args=[merchant.pk])
    now = timezone.now()
    statements = list(
        Statement.objects.filter(office=office, quarter="2026Q4").order_by("?")[:notifications]
    )
    started = OnlinePayment.objects.bulk_create(
        OnlinePayment(
            office=office,
            statement=s,
            merchant=merchant,
            provider="wechat",
            channel="native",
            out_trade_no=f"B{s.pk:09d}{n:06d}",
            amount=s.total,
            started_at=now,
            expires_at=now + timedelta(minutes=15),
            code_url="weixin://wxpay/bizpayurl?pr=bench",
        )
        for n, s in enumerate(statements)
    )
    notes = []
    for payment in started:
        stub.orders[payment.out_trade_no] = Order(
            "wechat", payment.out_trade_no, int(payment.amount * 100), url, "NATIVE"
        )
        notes.append(stub.pay(payment.out_trade_no))
    client = Client()
    for label in ("notification handled (payment recorded)", "the same notification replayed"):
        samples = []
        for note in notes:
            begin = time.perf_counter()
            answer = client.post(
                note.path, data=note.body, content_type=note.content_type, headers=note.headers
            )
            samples.append(time.perf_counter() - begin)
            assert answer.status_code == 204, answer.status_code
        report(label, samples)
    paid = OnlinePayment.objects.filter(merchant=merchant, status="paid").count()
    print(f"{'online payments paid':<56} {paid:,} of {len(started):,}")
