"""Races on PostgreSQL: two dispatchers on one order, many desks numbering at once."""

import threading

import pytest
from django.db import connection, connections

from estate.workorders import actions
from estate.workorders.models import WorkOrder

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are a PostgreSQL matter"
    ),
]


def race(count, work):
    """Run ``work(index)`` in ``count`` threads released at the same instant; return results or errors."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # the loser's refusal is the result we assert on
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_exactly_one_wins(bsw, reception, head, repair_team, worker):
    order = actions.open_work_order(
        office=bsw,
        by=reception,
        channel="desk",
        kind="repair",
        description="漏水",
        location="3棟電梯",
    )

    def dispatch(index):
        mine = WorkOrder.objects.get(pk=order.pk)
        return actions.dispatch(
            mine,
            service_unit=repair_team,
            assignee=worker if index else None,
            by=[reception, head][index],
            channel="desk",
        )

    results = race(2, dispatch)
    winners = [r for r in results if isinstance(r, WorkOrder)]
    losers = [r for r in results if isinstance(r, actions.TransitionRefused)]
    assert (len(winners), len(losers)) == (1, 1), results
    order.refresh_from_db()
    assert order.events.filter(action="dispatch").count() == 1
    assert order.status == "dispatched"


@pytest.mark.django_db(transaction=True)
def test_order_numbers_never_repeat_under_concurrency(bsw, reception):
    def open_one(index):
        return actions.open_work_order(
            office=bsw,
            by=reception,
            channel="desk",
            kind="repair",
            description=f"第{index}單",
            location="大堂",
        ).number

    numbers = race(8, open_one)
    assert all(isinstance(n, str) for n in numbers), numbers
    assert len(set(numbers)) == 8
    assert sorted(int(n[-4:]) for n in numbers) == list(range(1, 9))


@pytest.mark.django_db(transaction=True)
def test_ten_cashiers_paying_one_bill_make_one_payment(issued, cashier):
    from decimal import Decimal

    from estate.billing import payments
    from estate.billing.models import Payment, Statement

    bill = issued["3-1202"]  # owes 1,443.00

    def pay(index):
        mine = Statement.objects.get(pk=bill.pk)
        return payments.receive_payment(mine, amount=Decimal("1443.00"), method="cash", by=cashier)

    results = race(10, pay)
    assert sum(isinstance(r, Payment) for r in results) == 1
    assert Payment.objects.count() == 1
    assert Statement.objects.get(pk=bill.pk).paid == Decimal("1443.00")


@pytest.mark.django_db(transaction=True)
def test_two_bill_runs_started_at_once_one_issues_the_other_is_409(bsw, fees, cashier):
    from rest_framework.test import APIClient

    from estate.billing.models import BillRun, Statement
    from tests.billing_fixtures import read

    read(fees["meter"], "1000.00", "1500.00")

    def start(index):
        client = APIClient()
        client.force_authenticate(user=cashier)
        return client.post(
            "/api/v1/bill-runs/issue/", {"office": bsw.pk, "quarter": "2026Q4"}, format="json"
        )

    answers = race(2, start)
    assert sorted(a.status_code for a in answers) == [201, 409], answers
    refused = next(a for a in answers if a.status_code == 409)
    assert "2026Q4" in refused.json()["detail"]
    assert BillRun.objects.count() == 1
    assert Statement.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_run_while_another_is_being_issued_is_409_and_writes_nothing(bsw, fees, cashier):
    """The second run is refused at once, not queued behind the first, and says why."""
    from estate.billing import runs
    from estate.billing.models import BillRun
    from estate.core import locks
    from estate.core.conflicts import Conflict
    from tests.billing_fixtures import Q4, read

    read(fees["meter"], "1000.00", "1500.00")
    holding, done = threading.Event(), threading.Event()

    def first_run():  # stands in for a long run: holds the quarter's lock on its own connection
        with locks.attempt(f"bill-run:{bsw.pk}:{Q4}") as ours:
            assert ours
            holding.set()
            done.wait(30)
        connections.close_all()

    other = threading.Thread(target=first_run)
    other.start()
    try:
        assert holding.wait(30)
        with pytest.raises(Conflict) as refused:
            runs.issue(bsw, Q4, by=cashier)
        assert refused.value.code == "run_in_progress"
    finally:
        done.set()
        other.join(30)
    assert not BillRun.objects.exists()
    assert runs.issue(bsw, Q4, by=cashier).statements_issued == 3  # free again once it ended
