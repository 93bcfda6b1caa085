"""Payments: partial, full and prepaid; refused overpayment; voids and refunds approved by the
head; money conserved (a property); remarks answered or escalated; idempotent API keys."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from estate.billing import payments, statements
from estate.billing.models import Payment, Remark, Reversal, Statement
from estate.notifications.models import Notification
from estate.workorders.models import WorkOrder
from tests.billing_fixtures import D


def pay(statement, amount, by, **extra):
    return payments.receive_payment(statement, amount=D(amount), method="cash", by=by, **extra)


def test_partial_then_full_payment_and_an_overpayment_refused(issued, cashier):
    bill = issued["3-1202"]  # owes 1,443.00
    first = pay(bill, "443.00", cashier)
    assert first.receipt_number == f"BSW-R{first.pk:08d}"
    bill.refresh_from_db()
    assert bill.balance == D("1000.00")
    with pytest.raises(ValidationError) as too_much:
        pay(bill, "1000.01", cashier)
    assert "1000.00" in too_much.value.message_dict["amount"][0]
    pay(bill, "1000.00", cashier)
    with pytest.raises(ValidationError, match="全額繳清"):
        pay(bill, "1.00", cashier)
    bill.refresh_from_db()
    assert (bill.paid, bill.balance) == (D("1443.00"), D("0.00"))


def test_a_prepayment_is_taken_only_when_recorded_as_one(issued, cashier):
    bill = issued["3-S01"]  # owes 1,040.25
    payment = pay(bill, "2000.00", cashier, as_prepayment=True)
    assert payment.is_prepayment
    bill.refresh_from_db()
    assert bill.balance == D("-959.75")  # a credit


def test_bad_payments_name_the_field(issued, cashier):
    bill = issued["3-1201"]
    cases = [
        ({"amount": D("0")}, "amount"),
        ({"amount": D("-5")}, "amount"),
        ({"method": "bitcoin"}, "method"),
        ({"method": "wechat", "reference": " "}, "reference"),
    ]
    for change, field in cases:
        fields = {"amount": D("10"), "method": "cash", "by": cashier} | change
        with pytest.raises(ValidationError) as refused:
            payments.receive_payment(bill, **fields)
        assert field in refused.value.message_dict
    assert not Payment.objects.exists()


def test_void_and_refund_take_effect_only_when_the_head_approves(issued, cashier, head):
    bill = issued["3-1201"]
    payment = payments.receive_payment(
        bill, amount=D("1630.50"), method="wechat", reference="WX20261001", by=cashier
    )
    refund = payments.request_reversal(
        payment, kind="refund", amount=D("30.50"), reason="多收了車位費", by=cashier
    )
    bill.refresh_from_db()
    assert bill.balance == D("0.00")  # nothing changes until approved
    with pytest.raises(ValidationError) as no_void:
        payments.request_reversal(payment, kind="void", amount=None, reason="輸錯", by=cashier)
    assert "kind" in no_void.value.message_dict
    with pytest.raises(ValidationError) as too_much:
        payments.request_reversal(
            payment, kind="refund", amount=D("1600.01"), reason="x", by=cashier
        )
    assert "amount" in too_much.value.message_dict
    payments.decide_reversal(refund, approve=True, by=head)
    bill.refresh_from_db()
    assert bill.balance == D("30.50")
    with pytest.raises(ValidationError):
        payments.decide_reversal(refund, approve=False, by=head)


operations = st.lists(
    st.tuples(
        st.sampled_from(["pay", "prepay", "void", "refund", "approve", "reject", "adjust"]),
        st.integers(min_value=1, max_value=200_000),
    ),
    max_size=25,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
def test_money_is_conserved_and_totals_stay_the_sum_of_lines_whatever_happens(
    issued, cashier, head, steps
):
    bill = Statement.objects.get(pk=issued["3-1202"].pk)
    for operation, cents in steps:
        amount = Decimal(cents) / 100
        try:
            if operation == "adjust":
                signed = amount if cents % 2 else -amount
                statements.adjust(bill, amount=signed, reason="測試調整", by=cashier)
            elif operation in ("pay", "prepay"):
                pay(bill, amount, cashier, as_prepayment=operation == "prepay")
            elif operation in ("void", "refund"):
                payment = Payment.objects.filter(statement=bill).order_by("-id").first()
                if payment:
                    payments.request_reversal(
                        payment, kind=operation, amount=amount, reason="測試", by=cashier
                    )
            else:
                waiting = Reversal.objects.filter(
                    payment__statement=bill, status="requested"
                ).first()
                if waiting:
                    payments.decide_reversal(waiting, approve=operation == "approve", by=head)
        except ValidationError:
            pass  # refused: nothing may have changed, which the sums below check
        bill.refresh_from_db()
        received = sum(p.amount for p in Payment.objects.filter(statement=bill))
        given_back = sum(
            r.amount for r in Reversal.objects.filter(payment__statement=bill, status="approved")
        )
        assert bill.paid == received - given_back
        assert bill.total == sum(line.amount for line in bill.lines.all())
        for payment in Payment.objects.filter(statement=bill):
            assert payments.reversible(payment) >= 0
    # Reset for the next example (hypothesis reuses the fixture's database state).
    Reversal.objects.filter(payment__statement=bill).delete()
    Payment.objects.filter(statement=bill).delete()
    bill.lines.filter(kind__in=["adjustment", "credit"]).delete()
    Statement.objects.filter(pk=bill.pk).update(paid=D("0.00"), total=D("1443.00"))


def test_a_remark_is_answered_or_escalated_never_both(issued, cashier, head):
    bill = issued["3-1201"]
    pay(bill, "100.00", cashier, remark="為什麼今年電費分攤這麼高？")
    pay(bill, "100.00", cashier, remark="樓道燈壞了很久沒人修")
    asked, reported = Remark.objects.order_by("id")
    payments.answer_remark(asked, answer="本季公共照明改造用電增加，明細已貼在大堂。", by=cashier)
    payments.escalate_remark(reported, by=cashier)
    reported.refresh_from_db()
    order = WorkOrder.objects.get(pk=reported.work_order_id)
    assert (order.kind, order.unit_id) == ("complaint", bill.unit_id)
    assert "樓道燈壞了很久沒人修" in order.description
    # Handed to the head for real: on the head's own queue, owed by the head, who is told.
    assert (order.status, order.assignee, order.accountable) == ("dispatched", head, head)
    assert Notification.objects.filter(recipient=head, kind="work_order_dispatched").exists()
    with pytest.raises(ValidationError):
        payments.answer_remark(reported, answer="已處理", by=cashier)
    with pytest.raises(ValidationError):
        payments.escalate_remark(asked, by=cashier)
    pay(bill, "1.00", cashier, remark="再問一次")
    with pytest.raises(ValidationError) as rude:
        payments.answer_remark(Remark.objects.last(), answer="別煩了", by=cashier)
    assert "answer" in rude.value.message_dict


def test_the_same_idempotency_key_returns_the_first_payment(issued, cashier):
    bill = issued["3-1201"]
    body = {"statement": bill.pk, "amount": "200.00", "method": "cash"}
    digest = payments.request_digest(body)
    first = pay(bill, "200.00", cashier, idempotency_key="k-1", digest=digest)
    again = pay(bill, "200.00", cashier, idempotency_key="k-1", digest=digest)
    assert again.pk == first.pk
    other = payments.request_digest({**body, "amount": "300.00"})
    with pytest.raises(payments.IdempotencyConflict):
        pay(bill, "300.00", cashier, idempotency_key="k-1", digest=other)
    bill.refresh_from_db()
    assert bill.paid == D("200.00")
