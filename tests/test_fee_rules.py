"""Fee rules as data (issue 20, item 3): late fees only where the contract provides them, per day
or per month after a grace period and capped, on a line of their own and waived only by the head
with a reason; the vacancy discount from application to the next statement; units not yet sold
billed to the developer; deposits refunded less deductions with the head's approval; prepaid
credit carried to the next statement with money conserved (a property)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from estate.accounts.roles import Role
from estate.billing import deposits, fee_rules, payments, runs, vacancy
from estate.billing.choices import Basis, FeeKind, LineKind, PayerKind
from estate.billing.collection import collection
from estate.billing.models import (
    Deposit,
    FeeItem,
    FeeRate,
    Payment,
    Reversal,
    Statement,
    StatementLine,
    VacancyApplication,
)
from estate.core.conflicts import Conflict
from estate.core.periods import Quarter
from estate.messaging.household_events import tell_arrears
from estate.properties.models import Household
from tests.factories import staff

D = Decimal
Q4, Q1, Q2 = Quarter(2026, 4), Quarter(2027, 1), Quarter(2027, 2)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def on(day: date):
    """The clock at 09:00 in Shanghai on ``day`` (the run's issue date is that day)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI))


@pytest.fixture
def management(bsw, building3):
    """Only the management fee (no meters): 3-1201 750.00, 3-1202 663.75, 3-S01 600.00 a
    quarter; 3-1101 (900.00) has no household."""
    item = FeeItem.objects.create(
        office=bsw, name="物業管理費", kind=FeeKind.MANAGEMENT, basis=Basis.AREA_MONTH
    )
    for use, rate in (("residence", "2.50"), ("shop", "4.00")):
        FeeRate.objects.create(
            office=bsw, fee_item=item, unit_use=use, amount=D(rate),
            effective_from=date(2026, 1, 1),
        )  # fmt: skip
    return item


def first_month_end(quarter):
    """The pay-by day these tests name for every run: the end of the quarter's first month."""
    month = quarter.first_day.month
    return quarter.first_day.replace(month=month + 1, day=1) - timedelta(days=1)


def issue(office, quarter, by, day):
    with on(day):
        runs.issue(office, quarter, by=by, due_on=first_month_end(quarter))
    return {
        s.unit.address: s
        for s in Statement.objects.filter(office=office, quarter=str(quarter)).select_related(
            "unit"
        )
    }


def pay(statement, amount, by, **extra):
    return payments.receive_payment(statement, amount=D(amount), method="cash", by=by, **extra)


def late_lines(statement):
    return list(statement.lines.filter(kind=LineKind.LATE_FEE).order_by("id"))


def rule(office, item, **fields):
    values = {
        "basis": "per_day", "rate": "0.5", "grace_days": 10, "cap_kind": "none", "cap": None,
        "contract_reference": "物業服務合同第十二條第三款",
    } | fields  # fmt: skip
    return fee_rules.save_late_fee_rule(office=office, fee_item=item, **values)


# Late fees ------------------------------------------------------------------------------------


def test_no_late_fee_without_a_rule_and_no_rule_without_the_contract_clause(
    bsw, management, cashier
):
    issue(bsw, Q4, cashier, date(2026, 10, 5))
    q1 = issue(bsw, Q1, cashier, date(2027, 1, 5))
    assert not StatementLine.objects.filter(kind=LineKind.LATE_FEE).exists()
    assert q1["3-1201"].total == D("750.00")
    with pytest.raises(ValidationError) as refused:
        rule(bsw, management, contract_reference="  ")
    assert "contract_reference" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        rule(bsw, management, cap_kind="percent", cap=None, rate="x")
    assert set(refused.value.message_dict) >= {"cap", "rate"}


def test_a_late_fee_per_day_after_the_grace_period_on_its_own_line(bsw, management, cashier):
    rule(bsw, management)  # 0.5 ‰ a day, 10 days' grace
    q4 = issue(bsw, Q4, cashier, date(2026, 10, 5))  # due 2026-10-31
    pay(q4["3-1202"], "163.75", cashier)  # 500.00 still owed
    pay(q4["3-S01"], "600.00", cashier)  # paid in full: no late fee
    with on(date(2027, 1, 5)):  # the preview shows them too, summed in one row
        preview = runs.plan(bsw, Q1)
    late = {x.description for p in preview.statements for x in p.lines if x.kind == "late_fee"}
    assert len(late) == 1
    assert dict(preview.totals_by_item())[late.pop()] == D("35.00")
    q1 = issue(bsw, Q1, cashier, date(2027, 1, 5))  # 56 days after 2026-11-10
    (line,) = late_lines(q1["3-1201"])
    assert line.amount == D("21.00")  # 750.00 × 0.5 ‰ × 56
    assert all(part in line.basis for part in (q4["3-1201"].number, "750.00", "56", "第十二條"))
    assert line.source_id == q4["3-1201"].pk
    assert q1["3-1201"].total == D("771.00")
    assert q1["3-1201"].lines.filter(kind=LineKind.FEE).get().amount == D("750.00")
    assert [x.amount for x in late_lines(q1["3-1202"])] == [D("14.00")]  # 500.00 × 0.5 ‰ × 56
    assert late_lines(q1["3-S01"]) == []
    # The next run counts on from where this one stopped (90 days more), never twice.
    q2 = issue(bsw, Q2, cashier, date(2027, 4, 5))
    on_q4 = [x for x in late_lines(q2["3-1201"]) if x.source_id == q4["3-1201"].pk]
    assert [x.amount for x in on_q4] == [D("33.75")]  # 750.00 × 0.5 ‰ × 90


def test_no_late_fee_within_the_grace_period(bsw, management, cashier):
    rule(bsw, management, grace_days=10)
    issue(bsw, Q4, cashier, date(2026, 10, 5))
    issue(bsw, Q1, cashier, date(2026, 11, 10))  # the grace period's last day
    assert not StatementLine.objects.filter(kind=LineKind.LATE_FEE).exists()


def test_a_late_fee_per_month_begun_is_capped_over_all_runs(bsw, management, cashier):
    rule(bsw, management, basis="per_month", rate="3", grace_days=0, cap_kind="amount", cap="50")
    q4 = issue(bsw, Q4, cashier, date(2026, 10, 5))
    q1 = issue(bsw, Q1, cashier, date(2027, 1, 5))  # 66 days: 3 months begun
    (line,) = late_lines(q1["3-1201"])
    assert line.amount == D("50.00")  # 750.00 × 3 % × 3 = 67.50, capped at 50
    assert all(part in line.basis for part in ("3 ", "50"))
    q2 = issue(bsw, Q2, cashier, date(2027, 4, 5))
    assert [x for x in late_lines(q2["3-1201"]) if x.source_id == q4["3-1201"].pk] == []


def test_a_percent_cap(bsw, management, cashier):
    rule(bsw, management, rate="1", grace_days=0, cap_kind="percent", cap="5")
    issue(bsw, Q4, cashier, date(2026, 10, 5))
    q1 = issue(bsw, Q1, cashier, date(2027, 1, 5))  # 750 × 1 ‰ × 66 = 49.50; cap 5 % = 37.50
    assert [x.amount for x in late_lines(q1["3-1201"])] == [D("37.50")]


def test_only_the_head_waives_a_late_fee_with_a_reason(bsw, management, cashier, head):
    rule(bsw, management)
    issue(bsw, Q4, cashier, date(2026, 10, 5))
    q1 = issue(bsw, Q1, cashier, date(2027, 1, 5))
    bill = q1["3-1201"]
    pay(bill, "100.00", cashier)
    (line,) = late_lines(bill)
    with pytest.raises(PermissionDenied):
        fee_rules.waive_late_fee(line, reason="首次逾期", by=cashier)
    with pytest.raises(ValidationError) as refused:
        fee_rules.waive_late_fee(line, reason=" ", by=head)
    assert "reason" in refused.value.message_dict
    waiver = fee_rules.waive_late_fee(line, reason="首次逾期，業主已說明", by=head)
    bill.refresh_from_db()
    assert (waiver.kind, waiver.amount, waiver.added_by) == (LineKind.WAIVER, D("-21.00"), head)
    assert (bill.total, bill.paid) == (D("750.00"), D("100.00"))
    assert bill.total == sum(x.amount for x in bill.lines.all())
    with pytest.raises(Conflict):
        fee_rules.waive_late_fee(line, reason="again", by=head)


# The vacancy discount --------------------------------------------------------------------------


def test_the_vacancy_discount_from_application_to_the_next_statement(
    bsw, management, cashier, head
):
    FeeItem.objects.filter(pk=management.pk).update(vacancy_discount=D("30"))
    flat = Household.objects.get(unit__address="3-1202")
    with on(date(2026, 12, 1)):
        application = vacancy.apply_for_vacancy(
            unit=flat.unit, household=flat, vacant_from=date(2026, 12, 1), channel="desk",
            by=cashier,
        )  # fmt: skip
        with pytest.raises(ValidationError):  # not before the inspection
            vacancy.decide_vacancy(application, approve=True, by=head)
        vacancy.inspect_vacancy(application, vacant=True, note="水電錶未走動，無人居住", by=cashier)
        with pytest.raises(PermissionDenied):
            vacancy.decide_vacancy(application, approve=True, by=cashier)
    q1 = issue(bsw, Q1, cashier, date(2027, 1, 5))  # inspected but not approved yet
    assert not q1["3-1202"].lines.filter(kind=LineKind.DISCOUNT).exists()
    with on(date(2027, 1, 10)):
        vacancy.decide_vacancy(application, approve=True, by=head)
    q2 = issue(bsw, Q2, cashier, date(2027, 4, 5))
    (discount,) = q2["3-1202"].lines.filter(kind=LineKind.DISCOUNT)
    assert discount.amount == D("-199.13")  # 663.75 × 30 %, rounded half up
    assert "30" in discount.basis
    assert q2["3-1202"].total == D("464.62")
    assert not q2["3-1201"].lines.filter(kind=LineKind.DISCOUNT).exists()
    vacancy.end_vacancy(application, on=date(2027, 5, 1), by=cashier)
    q3 = issue(bsw, Quarter(2027, 3), cashier, date(2027, 7, 5))
    assert not q3["3-1202"].lines.filter(kind=LineKind.DISCOUNT).exists()


def test_a_unit_found_lived_in_is_not_discounted(bsw, management, cashier, head):
    flat = Household.objects.get(unit__address="3-1202")
    application = vacancy.apply_for_vacancy(
        unit=flat.unit, household=flat, vacant_from=date(2026, 12, 1), channel="phone", by=cashier
    )
    vacancy.inspect_vacancy(application, vacant=False, note="有人居住", by=cashier)
    with pytest.raises(ValidationError):
        vacancy.decide_vacancy(application, approve=True, by=head)
    with pytest.raises(ValidationError):
        vacancy.decide_vacancy(application, approve=False, by=head)  # a reason is needed
    vacancy.decide_vacancy(application, approve=False, by=head, note="現場有人居住")
    application.refresh_from_db()
    assert application.status == "rejected"


# The developer ----------------------------------------------------------------------------------


def test_a_unit_without_a_household_is_billed_to_the_developer(bsw, management, cashier, client):
    q4 = issue(bsw, Q4, cashier, date(2026, 10, 5))
    assert "3-1101" not in q4  # no developer named: nobody to bill, as before
    fee_rules.set_developer(office=bsw, name="碧水灣置業有限公司")
    q1 = issue(bsw, Q1, cashier, date(2027, 1, 5))
    bill = q1["3-1101"]
    assert (bill.payer_kind, bill.household_id, bill.payer) == (
        PayerKind.DEVELOPER, None, "碧水灣置業有限公司"
    )  # fmt: skip
    assert bill.total == D("900.00")
    assert q1["3-1202"].payer_kind == PayerKind.HOUSEHOLD
    with on(date(2027, 3, 1)):  # overdue: reminders go to households only, and nothing breaks
        assert tell_arrears.call(bsw.pk, "2027-03-01") >= 0
    client.force_login(cashier)
    listed = client.get(f"/api/v1/statements/{bill.pk}/").json()
    assert (listed["payer_kind"], listed["payer"]) == ("developer", "碧水灣置業有限公司")
    page = client.get(f"/billing/statements/{bill.pk}/")
    assert page.status_code == 200
    assert "碧水灣置業有限公司" in page.content.decode()


# Deposits ---------------------------------------------------------------------------------------


def test_a_deposit_refunded_less_deductions_with_another_persons_approval(
    bsw, management, cashier, head
):
    flat = Household.objects.get(unit__address="3-1202")
    deposit = deposits.receive_deposit(
        unit=flat.unit, household=flat, payer="業主", purpose="renovation", amount="2000",
        method="cash", by=cashier,
    )  # fmt: skip
    assert deposit.receipt_number == f"BSW-D{deposit.pk:08d}"
    with pytest.raises(ValidationError) as refused:
        deposits.request_deposit_refund(deposit, deductions=[("300", "")], by=cashier)
    assert "deductions" in refused.value.message_dict
    with pytest.raises(ValidationError):
        deposits.request_deposit_refund(deposit, deductions=[("2000.01", "超額")], by=cashier)
    refund = deposits.request_deposit_refund(
        deposit, deductions=[("300", "公共走廊牆面損壞"), ("200.50", "裝修垃圾清運")], by=head
    )
    deposit.refresh_from_db()
    assert (refund.amount, deposit.status) == (D("1499.50"), "refund_requested")
    with pytest.raises(PermissionDenied):
        deposits.decide_deposit_refund(refund, approve=True, by=cashier)
    with pytest.raises(ValidationError):  # the head asked: another must decide
        deposits.decide_deposit_refund(refund, approve=True, by=head)
    second = staff("head2", Role.HEAD, bsw)
    deposits.decide_deposit_refund(refund, approve=True, by=second)
    deposit.refresh_from_db()
    refund.refresh_from_db()
    assert deposit.status == "refunded"
    assert refund.refunded_at is not None
    assert sorted(d.reason for d in refund.deductions.all()) == ["公共走廊牆面損壞", "裝修垃圾清運"]
    with pytest.raises(Conflict):
        deposits.decide_deposit_refund(refund, approve=False, by=second)


def test_deposits_are_not_billed_nor_in_the_collection_rate(bsw, management, cashier):
    issue(bsw, Q4, cashier, date(2026, 10, 5))
    before = collection(bsw, str(Q4), as_of=date(2026, 12, 31))[0]
    flat = Household.objects.get(unit__address="3-1202")
    deposits.receive_deposit(
        unit=flat.unit, household=flat, payer="業主", purpose="renovation", amount="2000",
        method="wechat", reference="WX1", by=cashier,
    )  # fmt: skip
    after = collection(bsw, str(Q4), as_of=date(2026, 12, 31))[0]
    assert (after.billed, after.collected) == (before.billed, before.collected)


# Prepaid credit --------------------------------------------------------------------------------


def test_prepaid_credit_is_carried_to_the_next_statement_with_a_line(bsw, management, cashier):
    q4 = issue(bsw, Q4, cashier, date(2026, 10, 5))
    pay(q4["3-S01"], "1000.00", cashier, as_prepayment=True)  # 600.00 billed: 400.00 ahead
    q1 = issue(bsw, Q1, cashier, date(2027, 1, 5))
    (credit,) = q1["3-S01"].lines.filter(kind=LineKind.CREDIT)
    assert (credit.amount, credit.source_id) == (D("-400.00"), q4["3-S01"].pk)
    assert q4["3-S01"].number in credit.basis
    assert (q1["3-S01"].total, q1["3-S01"].balance) == (D("200.00"), D("200.00"))
    q4["3-S01"].refresh_from_db()
    assert q4["3-S01"].balance == D("0.00")  # its money moved on, counted once
    q2 = issue(bsw, Q2, cashier, date(2027, 4, 5))
    assert not q2["3-S01"].lines.filter(kind=LineKind.CREDIT).exists()


def test_a_large_prepayment_is_carried_up_to_each_new_total(bsw, management, cashier):
    q4 = issue(bsw, Q4, cashier, date(2026, 10, 5))
    pay(q4["3-S01"], "2000.00", cashier, as_prepayment=True)  # 1,400.00 ahead
    q1 = issue(bsw, Q1, cashier, date(2027, 1, 5))
    assert q1["3-S01"].total == D("0.00")
    q2 = issue(bsw, Q2, cashier, date(2027, 4, 5))
    assert q2["3-S01"].total == D("0.00")
    q4["3-S01"].refresh_from_db()
    assert q4["3-S01"].balance == D("-200.00")  # still ahead, for the next quarter


steps = st.lists(
    st.tuples(
        st.sampled_from(["3-1201", "3-1202", "3-S01"]),
        st.sampled_from(["pay", "prepay", "refund"]),
        st.integers(min_value=1, max_value=300_000),
    ),
    max_size=6,
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(before_q1=steps, before_q2=steps)
def test_money_is_conserved_across_runs_and_payments(
    bsw, management, cashier, head, before_q1, before_q2
):
    with transaction.atomic():
        rule(bsw, management, grace_days=0)
        issue(bsw, Q4, cashier, date(2026, 10, 5))
        for quarter, day, moves in ((Q1, date(2027, 1, 5), before_q1), (Q2, date(2027, 4, 5), before_q2)):  # fmt: skip
            with on(day.replace(day=1)):
                for address, what, cents in moves:
                    bill = Statement.objects.filter(unit__address=address).order_by("-quarter")[0]
                    amount = D(cents) / 100
                    try:
                        if what == "refund":
                            paid = Payment.objects.filter(statement__unit__address=address).last()
                            if paid:
                                asked = payments.request_reversal(
                                    paid, kind="refund", amount=amount, reason="退", by=cashier
                                )
                                payments.decide_reversal(asked, approve=True, by=head)
                        else:
                            pay(bill, amount, cashier, as_prepayment=what == "prepay")
                    except ValidationError:
                        pass
            issue(bsw, quarter, cashier, day)
        received = sum((p.amount for p in Payment.objects.all()), D("0"))
        returned = sum((r.amount for r in Reversal.objects.filter(status="approved")), D("0"))
        carried = -sum(
            (x.amount for x in StatementLine.objects.filter(kind=LineKind.CREDIT)), D("0")
        )
        held = sum((s.paid for s in Statement.objects.all()), D("0"))
        assert received - returned == held + carried  # every yuan is somewhere, once
        for statement in Statement.objects.all():
            assert statement.total == sum(x.amount for x in statement.lines.all())
            assert statement.total >= 0
        transaction.set_rollback(True)


# Pages ------------------------------------------------------------------------------------------


def test_the_pages_take_rules_applications_and_deposits(bsw, management, cashier, head, client):
    client.force_login(cashier)
    for name in ("late-fees", "vacancies", "deposits"):
        assert client.get(f"/billing/{name}/").status_code == 200
    # The cashier may not change the office's rules; the head may, and must name the clause.
    rule_form = {
        "do": "rule", "rule-fee_item": management.pk, "rule-basis": "per_day", "rule-rate": "0.5",
        "rule-grace_days": "10", "rule-cap_kind": "none", "rule-is_active": "on",
    }  # fmt: skip
    assert client.post("/billing/late-fees/", rule_form).status_code == 403
    client.force_login(head)
    refused = client.post("/billing/late-fees/", rule_form)
    assert refused.status_code == 400
    assert 'data-field="contract_reference"' in refused.content.decode()
    assert (
        client.post(
            "/billing/late-fees/", rule_form | {"rule-contract_reference": "合同第十二條"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            "/billing/late-fees/", {"do": "developer", "developer-name": "碧水灣置業"}
        ).status_code
        == 302
    )
    # A vacancy application at the desk, inspected by the cashier, approved by the head.
    client.force_login(cashier)
    wrong = client.post(
        "/billing/vacancies/",
        {"do": "apply", "apply-unit": "9-999", "apply-vacant_from": "2026-12-01",
         "apply-channel": "desk"},
    )  # fmt: skip
    assert wrong.status_code == 400
    assert 'data-field="unit"' in wrong.content.decode()
    client.post(
        "/billing/vacancies/",
        {"do": "apply", "apply-unit": "3-1202", "apply-vacant_from": "2026-12-01",
         "apply-channel": "desk"},
    )  # fmt: skip
    (application,) = VacancyApplication.objects.all()
    client.post(
        "/billing/vacancies/", {"do": "vacant", "application": application.pk, "note": "無人"}
    )
    assert (
        client.post(
            "/billing/vacancies/", {"do": "approve", "application": application.pk}
        ).status_code
        == 403
    )
    client.force_login(head)
    client.post("/billing/vacancies/", {"do": "approve", "application": application.pk})
    application.refresh_from_db()
    assert application.status == "approved"
    # A deposit received and its refund asked for by the cashier, approved by the head.
    client.force_login(cashier)
    client.post(
        "/billing/deposits/",
        {"do": "receive", "deposit-unit": "3-1202", "deposit-payer": "業主",
         "deposit-purpose": "renovation", "deposit-amount": "2000", "deposit-method": "cash"},
    )  # fmt: skip
    (deposit,) = Deposit.objects.all()
    client.post(
        "/billing/deposits/",
        {"do": "refund", "deposit": deposit.pk, "refund-deductions": "300 牆面損壞\n50 清運"},
    )
    client.force_login(head)
    page = client.get("/billing/deposits/")
    assert "牆面損壞" in page.content.decode()
    refund = deposit.refunds.get()
    client.post("/billing/deposits/", {"do": "approve", "refund": refund.pk})
    refund.refresh_from_db()
    assert (refund.amount, refund.status) == (D("1650.00"), "approved")


def test_the_head_waives_a_late_fee_on_the_statement_page(bsw, management, cashier, head, client):
    rule(bsw, management)
    issue(bsw, Q4, cashier, date(2026, 10, 5))
    bill = issue(bsw, Q1, cashier, date(2027, 1, 5))["3-1201"]
    (line,) = late_lines(bill)
    client.force_login(cashier)
    assert (
        f'data-testid="waive-{line.pk}"'
        not in client.get(f"/billing/statements/{bill.pk}/").content.decode()
    )
    assert client.post(f"/billing/lines/{line.pk}/waive/", {"reason": "x"}).status_code == 403
    client.force_login(head)
    page = client.get(f"/billing/statements/{bill.pk}/").content.decode()
    assert f'data-testid="waive-{line.pk}"' in page
    assert 'data-kind="late_fee"' in page
    client.post(f"/billing/lines/{line.pk}/waive/", {"reason": "首次逾期"})
    bill.refresh_from_db()
    assert bill.total == D("750.00")


def test_an_owner_applies_for_the_vacancy_discount_in_the_portal(bsw, client):
    from estate.accounts.models import User
    from estate.properties.models import Resident

    user = User.objects.create_user(username="chen", password="x")
    Resident.objects.filter(household__unit__address="3-1202").update(user=user)
    client.force_login(user)
    assert client.get("/portal/vacancy/").status_code == 200
    assert client.post("/portal/vacancy/", {"vacant_from": "bad"}).status_code == 400
    assert client.post("/portal/vacancy/", {"vacant_from": "2026-12-01"}).status_code == 302
    (application,) = VacancyApplication.objects.all()
    assert (application.channel, application.unit.address) == ("portal", "3-1202")
    again = client.post("/portal/vacancy/", {"vacant_from": "2026-12-01"})
    assert again.status_code == 400  # one open application a unit
    assert VacancyApplication.objects.count() == 1
