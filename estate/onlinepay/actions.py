"""The only code that writes online payments: start one, take a provider's notification, expire
what was never paid, reconcile a day with the provider's bill.

Money only ever enters through ``estate.billing.payments.receive_payment`` with the order number
as its idempotency key, so ``Statement.paid`` stays the one truth and a payment recorded twice
(a notification and a query racing) is one payment. Locks are taken statement first, then the
online payment, everywhere, so the portal and a notification never wait on each other in turn.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import ModuleType
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from estate.billing import payments
from estate.billing.choices import PaymentMethod
from estate.billing.models import Statement
from estate.onlinepay import alipay, wechatpay
from estate.onlinepay.choices import (
    CHANNELS,
    TRANSITIONS,
    Channel,
    DifferenceKind,
    Outcome,
    Provider,
    RunStatus,
    Status,
)
from estate.onlinepay.models import (
    MerchantAccount,
    NotificationReceived,
    OnlinePayment,
    ReconciliationDifference,
    ReconciliationRun,
)
from estate.onlinepay.protocol import Notice
from estate.onlinepay.transport import ProviderError

# Long enough to find the phone and scan; short enough that a forgotten QR code cannot be paid
# after the cashier took the money at the counter.
PAYABLE_FOR = timedelta(minutes=15)
# An open order is offered again only if the payer still has this long to pay it.
REUSE_MARGIN = timedelta(minutes=2)
BATCH = 100
SYSTEM_USERNAME = "online-payment"
METHOD = {Provider.WECHAT: PaymentMethod.WECHAT, Provider.ALIPAY: PaymentMethod.ALIPAY}


def client(provider: str) -> ModuleType:
    return wechatpay if provider == Provider.WECHAT else alipay


def system_actor() -> Any:
    """Who received a payment the provider confirmed: a login that cannot sign in and holds no
    role, named so the receipt says the money came online."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"display_name": "線上支付", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def merchant_for(office_id: int, provider: str) -> MerchantAccount | None:
    return MerchantAccount.objects.filter(
        office_id=office_id, provider=provider, enabled=True
    ).first()


def _new_number(statement: Statement) -> str:
    # 32 characters at most (WeChat's limit); unguessable, so a number cannot be probed.
    return f"E{statement.pk:09d}{secrets.token_hex(8)}"


def _description(statement: Statement) -> str:
    return _("Statement %(number)s") % {"number": statement.number}


def start_payment(
    statement: Statement,
    *,
    provider: str,
    channel: str,
    by: Any,
    notify_url: str,
    return_url: str = "",
    openid: str = "",
) -> OnlinePayment:
    """Start paying what ``statement`` owes online, or offer again the order still open for it.
    A paid statement starts nothing; an open order of another kind is closed first."""
    if provider not in CHANNELS or channel not in CHANNELS[Provider(provider)]:
        raise ValidationError({"channel": _("Choose how to pay.")})
    if channel == Channel.JSAPI and not openid:
        raise ValidationError({"channel": _("Open this page inside WeChat to pay there.")})
    merchant = merchant_for(statement.office_id, provider)
    if merchant is None:
        raise ValidationError(
            {"provider": _("This office does not take this kind of payment online.")}
        )
    now = timezone.now()
    earlier = OnlinePayment.objects.filter(statement=statement, status=Status.STARTED).first()
    if earlier is not None:
        owed = statement.total - statement.paid
        if (
            earlier.provider == provider
            and earlier.channel == channel
            and earlier.amount == owed
            and earlier.expires_at > now + REUSE_MARGIN
            and (earlier.code_url or earlier.prepay_id or earlier.pay_url)
        ):
            return earlier
        end_payment(earlier, status=Status.CLOSED)
        if OnlinePayment.objects.filter(pk=earlier.pk, status=Status.STARTED).exists():
            raise ValidationError(
                {"provider": _("The payment provider could not be reached; try again in a minute.")}
            )
    try:
        with transaction.atomic():
            locked = Statement.objects.select_for_update().get(pk=statement.pk)
            owed = locked.total - locked.paid
            if owed <= 0:
                raise ValidationError({"statement": _("This statement is paid in full.")})
            payment = OnlinePayment.objects.create(
                office_id=locked.office_id,
                statement=locked,
                merchant=merchant,
                provider=provider,
                channel=channel,
                out_trade_no=_new_number(locked),
                amount=owed,
                started_by=by,
                started_at=now,
                expires_at=now + PAYABLE_FOR,
            )
    except IntegrityError:
        # Another tab started one a moment ago: that one is the statement's open order.
        raced = OnlinePayment.objects.filter(statement=statement, status=Status.STARTED).first()
        if raced is None:
            raise
        return raced
    # The provider is asked outside the transaction: no row stays locked while it answers.
    try:
        if provider == Provider.WECHAT:
            made = wechatpay.create(
                merchant,
                payment,
                notify_url=notify_url,
                description=_description(statement),
                openid=openid,
            )
        else:
            made = alipay.create(
                merchant,
                payment,
                notify_url=notify_url,
                description=_description(statement),
                return_url=return_url,
                page=channel == Channel.PAGE,
            )
    except ProviderError as error:
        OnlinePayment.objects.filter(pk=payment.pk, status=Status.STARTED).update(
            status=Status.FAILED, failure=str(error)[:200], ended_at=timezone.now()
        )
        raise ValidationError(
            {"provider": _("The payment provider could not be reached; try again in a minute.")}
        ) from None
    OnlinePayment.objects.filter(pk=payment.pk).update(**made)
    payment.refresh_from_db()
    return payment


def _record(
    payment: OnlinePayment, *, amount: Decimal | None, transaction_id: str, digest: str
) -> tuple[str, str]:
    """Record that ``payment`` was paid, once: its outcome and the reason of a refusal."""
    with transaction.atomic():
        Statement.objects.select_for_update().filter(pk=payment.statement_id).first()
        locked = (
            OnlinePayment.objects.select_for_update().select_related("statement").get(pk=payment.pk)
        )
        if locked.status == Status.PAID:
            return Outcome.ALREADY, ""
        if Status.PAID not in TRANSITIONS[Status(locked.status)]:
            return Outcome.REFUSED, "status"
        if amount != locked.amount:
            reason = f"amount {amount} is not the {locked.amount} started"
            OnlinePayment.objects.filter(pk=locked.pk).update(
                status=Status.FAILED, failure=reason, ended_at=timezone.now()
            )
            return Outcome.REFUSED, reason
        if (
            not transaction_id
            or OnlinePayment.objects.filter(transaction_id=transaction_id).exists()
        ):
            return Outcome.REFUSED, "transaction id missing or taken by another order"
        received = payments.receive_payment(
            locked.statement,
            amount=locked.amount,
            method=METHOD[Provider(locked.provider)],
            by=system_actor(),
            reference=transaction_id,
            # Closed or expired here but paid there: the money was taken, so it is recorded
            # (a surplus shows as a credit for the cashier to refund).
            as_prepayment=True,
            idempotency_key=locked.out_trade_no,
            digest=payments.request_digest(
                {"out_trade_no": locked.out_trade_no, "amount": str(locked.amount)}
            ),
        )
        now = timezone.now()
        OnlinePayment.objects.filter(pk=locked.pk, status=locked.status).update(
            status=Status.PAID,
            payment=received,
            transaction_id=transaction_id,
            paid_at=now,
            ended_at=now,
            notified_digest=digest,
            failure="",
        )
    return Outcome.RECORDED, ""


def take_notification(merchant: MerchantAccount, notice: Notice) -> NotificationReceived:
    """A verified notification, taken exactly once: a replay (the same id) changes nothing and
    answers as the first did. Kept and applied in one transaction: a crash between the two
    leaves neither, and the provider's next try applies it."""
    notification_id = notice.notification_id or notice.digest
    with transaction.atomic():
        try:
            with transaction.atomic():
                note = NotificationReceived.objects.create(
                    office_id=merchant.office_id,
                    provider=merchant.provider,
                    notification_id=notification_id,
                    out_trade_no=notice.out_trade_no[:64],
                    outcome=Outcome.IGNORED,
                    digest=notice.digest,
                    received_at=timezone.now(),
                )
        except IntegrityError:
            return NotificationReceived.objects.get(
                provider=merchant.provider, notification_id=notification_id
            )
        payment = OnlinePayment.objects.filter(
            out_trade_no=notice.out_trade_no, merchant=merchant
        ).first()
        outcome: str
        if payment is None:
            outcome, reason = Outcome.REFUSED, "no such order of this merchant"
        elif not notice.paid:
            outcome, reason = Outcome.IGNORED, ""
        else:
            outcome, reason = _record(
                payment,
                amount=notice.amount,
                transaction_id=notice.transaction_id,
                digest=notice.digest,
            )
        NotificationReceived.objects.filter(pk=note.pk).update(
            outcome=outcome, reason=reason[:200], online_payment=payment
        )
    note.refresh_from_db()
    return note


def end_payment(payment: OnlinePayment, *, status: str) -> str:
    """Close an open order (``status``: closed, or expired by the sweep). The provider is asked
    first: paid there means recorded here. Unreachable, it stays open for the next try."""
    merchant = payment.merchant
    provider = client(payment.provider)
    try:
        state = provider.query(merchant, payment.out_trade_no)
        if state.paid:
            outcome, _reason = _record(
                payment, amount=state.amount, transaction_id=state.transaction_id, digest="query"
            )
            return Status.PAID if outcome in (Outcome.RECORDED, Outcome.ALREADY) else Status.FAILED
        if state.exists:
            provider.close(merchant, payment.out_trade_no)
    except ProviderError:
        return Status.STARTED
    OnlinePayment.objects.filter(pk=payment.pk, status=Status.STARTED).update(
        status=status, ended_at=timezone.now()
    )
    return status


def expire_due(now: datetime | None = None) -> int:
    """Sweep (the scheduler's): end the orders past their time; how many were looked at."""
    now = now or timezone.now()
    due = list(
        OnlinePayment.objects.filter(status=Status.STARTED, expires_at__lte=now)
        .select_related("merchant")
        .order_by("expires_at")[:BATCH]
    )
    for payment in due:
        end_payment(payment, status=Status.EXPIRED)
    return len(due)


def _day(bill_date: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(bill_date, datetime.min.time()))
    return start, start + timedelta(days=1)


def reconcile(merchant: MerchantAccount, *, bill_date: date, by: Any = None) -> ReconciliationRun:
    """Compare the day's payments with the provider's bill; the differences for the cashier.
    Run again for the same day, it replaces what it found before."""
    error = ""
    rows = []
    try:
        rows = client(merchant.provider).bill(merchant, bill_date.isoformat())
    except (ProviderError, KeyError, ValueError) as failure:
        error = str(failure)[:200] or type(failure).__name__
    start, end = _day(bill_date)
    here = {
        p.out_trade_no: p
        for p in OnlinePayment.objects.filter(
            merchant=merchant, status=Status.PAID, paid_at__gte=start, paid_at__lt=end
        )
    }
    there = {row.out_trade_no: row for row in rows}
    others = {
        p.out_trade_no: p
        for p in OnlinePayment.objects.filter(
            out_trade_no__in=set(there) - set(here), merchant=merchant
        )
    }
    found = []
    if not error:
        for number, row in there.items():
            mine = here.get(number)
            if mine is None:
                other = others.get(number)
                found.append(
                    ReconciliationDifference(
                        kind=DifferenceKind.MISSING_HERE, out_trade_no=number, transaction_id=row.transaction_id,
                        amount_here=other.amount if other else None, amount_there=row.amount, online_payment=other,
                    )
                )  # fmt: skip
            elif mine.amount != row.amount:
                found.append(
                    ReconciliationDifference(
                        kind=DifferenceKind.AMOUNT, out_trade_no=number, transaction_id=row.transaction_id,
                        amount_here=mine.amount, amount_there=row.amount, online_payment=mine,
                    )
                )  # fmt: skip
        for number, mine in here.items():
            if number not in there:
                found.append(
                    ReconciliationDifference(
                        kind=DifferenceKind.MISSING_THERE, out_trade_no=number,
                        transaction_id=mine.transaction_id or "", amount_here=mine.amount, online_payment=mine,
                    )
                )  # fmt: skip
    with transaction.atomic():
        run, _created = ReconciliationRun.objects.update_or_create(
            merchant=merchant,
            bill_date=bill_date,
            defaults={
                "office_id": merchant.office_id,
                "status": RunStatus.FAILED if error else RunStatus.DONE,
                "ran_at": timezone.now(),
                "ran_by": by,
                "bill_rows": len(rows),
                "matched": len(rows)
                - sum(1 for d in found if d.kind != DifferenceKind.MISSING_THERE),
                "error": error,
            },
        )
        run.differences.all().delete()
        for difference in found:
            difference.office_id = merchant.office_id
            difference.run = run
        ReconciliationDifference.objects.bulk_create(found)
    return run


def reconcile_yesterday(now: datetime | None = None) -> int:
    """The scheduler's daily step: enqueue yesterday's reconciliation of each enabled merchant
    not yet reconciled (bills are ready in the morning; a failed run is left for the cashier's
    "run now"). Enqueued twice before the worker runs it, it runs twice to the same result."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < 10:  # WeChat publishes the day's bill after 9 a.m.
        return 0
    day = local.date() - timedelta(days=1)
    done = ReconciliationRun.objects.filter(bill_date=day).values_list("merchant_id", flat=True)
    count = 0
    from estate.onlinepay.tasks import reconcile_day  # the task module imports this one

    for merchant_id in (
        MerchantAccount.objects.filter(enabled=True)
        .exclude(pk__in=done)
        .values_list("pk", flat=True)
    ):
        reconcile_day.enqueue(merchant_id, day.isoformat())
        count += 1
    return count
