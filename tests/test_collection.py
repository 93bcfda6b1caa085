"""Collection rate by amount and by household, as of the quarter's last day and as of today,
per office and building; arrears with ageing; adjustments; the printed paper."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from estate.billing import payments, printing, statements
from estate.billing.collection import ageing, arrears, collection
from estate.billing.models import Statement
from tests.billing_fixtures import D


def pay_at(moment, statement, amount, by):
    with time_machine.travel(moment, tick=False):
        return payments.receive_payment(statement, amount=D(amount), method="cash", by=by)


def test_collection_rate_as_of_the_quarter_end_and_as_of_today(bsw, issued, cashier, head):
    # Billed 1,630.50 + 1,443.00 + 1,040.25 = 4,113.75 yuan to three households.
    pay_at("2026-12-20 10:00 +08:00", issued["3-1202"], "1443.00", cashier)
    pay_at("2026-12-31 23:00 +08:00", issued["3-1201"], "630.50", cashier)
    late = pay_at("2027-01-05 09:00 +08:00", issued["3-S01"], "1040.25", cashier)
    quarter_end = collection(bsw, "2026Q4", as_of=date(2026, 12, 31), today=date(2027, 1, 10))[0]
    # 2,073.50 / 4,113.75 = 50.404…% ; one household of three paid in full.
    assert (quarter_end.billed, quarter_end.collected) == (D("4113.75"), D("2073.50"))
    assert (quarter_end.rate_by_amount, quarter_end.rate_by_household) == (D("50.40"), D("33.33"))
    assert quarter_end.met is False
    # While the quarter runs a short rate is "not yet", as on the dashboard.
    running = collection(bsw, "2026Q4", as_of=date(2026, 12, 20), today=date(2026, 12, 20))[0]
    assert running.met is None
    today = collection(bsw, "2026Q4", as_of=date(2027, 1, 10))
    # 3,113.75 / 4,113.75 = 75.691…% ; two of three.
    assert (today[0].rate_by_amount, today[0].rate_by_household) == (D("75.69"), D("66.67"))
    assert [row.label for row in today] == [bsw.name, "3棟"]
    assert today[1].collected == today[0].collected
    # A refund approved later lowers "today" but not the quarter's end.
    with time_machine.travel("2027-01-08 09:00 +08:00", tick=False):
        refund = payments.request_reversal(
            late, kind="refund", amount=D("40.25"), reason="重複收取", by=cashier
        )
        payments.decide_reversal(refund, approve=True, by=head)
    assert collection(bsw, "2026Q4", as_of=date(2027, 1, 10))[0].collected == D("3073.50")
    assert collection(bsw, "2026Q4", as_of=date(2026, 12, 31))[0].collected == D("2073.50")


def test_a_prepayment_counts_no_more_than_the_bill(bsw, issued, cashier):
    with time_machine.travel("2026-12-10 10:00 +08:00", tick=False):
        payments.receive_payment(
            issued["3-1201"], amount=D("5000.00"), method="cash", by=cashier, as_prepayment=True
        )
    row = collection(bsw, "2026Q4", as_of=date(2027, 1, 1))[0]
    assert row.collected == D("1630.50")


def test_an_office_with_nothing_billed_has_no_rate(bsw):
    (row,) = collection(bsw, "2026Q4", as_of=date(2026, 12, 31))
    assert (row.rate_by_amount, row.rate_by_household, row.met) == (None, None, None)


def test_arrears_are_aged_from_the_due_date(bsw, issued, cashier):
    payments.receive_payment(issued["3-1202"], amount=D("1443.00"), method="cash", by=cashier)
    payments.receive_payment(issued["3-1201"], amount=D("630.50"), method="cash", by=cashier)
    due = issued["3-1201"].due_on  # the run's pay-by day: a term after the day it was issued
    late = due + timedelta(days=76)
    owed = arrears(bsw, on=late)
    assert [(s.unit.address, s.owed) for s in owed] == [
        ("3-1201", D("1000.00")),
        ("3-S01", D("1040.25")),
    ]
    assert ageing(owed, late) == {
        "not_due": D("0.00"), "d30": D("0.00"), "d90": D("2040.25"), "d180": D("0.00"),
        "older": D("0.00"),
    }  # fmt: skip
    assert ageing(owed, due - timedelta(days=11))["not_due"] == D("2040.25")


def test_adjustments_and_credits_keep_the_total_the_sum_of_lines(issued, cashier):
    bill = issued["3-1202"]
    statements.adjust(bill, amount=D("-100.00"), reason="電梯停運兩週減免", by=cashier)
    statements.adjust(bill, amount=D("20.00"), reason="補收門禁卡工本費", by=cashier)
    bill.refresh_from_db()
    assert bill.total == D("1363.00")
    assert bill.total == sum(line.amount for line in bill.lines.all())
    for amount, reason, field in (
        (D("0"), "x", "amount"),
        (D("5"), " ", "reason"),
        (D("-9999"), "x", "amount"),
    ):
        with pytest.raises(ValidationError) as refused:
            statements.adjust(bill, amount=amount, reason=reason, by=cashier)
        assert field in refused.value.message_dict


def test_the_printed_paper_has_the_font_embedded(issued, cashier):
    batch = printing.statements_pdf(
        Statement.objects.select_related("office", "unit").prefetch_related("lines"), "3棟"
    )
    assert batch.startswith(b"%PDF")
    assert b"/Count 3" in batch  # a page per statement
    assert b"FontFile2" in batch  # the TrueType font travels with the file
    receipt = printing.receipt_pdf(
        payments.receive_payment(issued["3-1201"], amount=D("1.00"), method="cash", by=cashier)
    )
    assert receipt.startswith(b"%PDF")
    reminder = printing.reminder_pdf([issued["3-S01"]], on=date(2027, 1, 15))
    assert b"FontFile2" in reminder
