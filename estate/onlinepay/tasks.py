"""Background work of online payment: a day's reconciliation, enqueued by the scheduler."""

from __future__ import annotations

from datetime import date

from django.tasks import task

from estate.onlinepay import actions
from estate.onlinepay.models import MerchantAccount


@task()
def reconcile_day(merchant_id: int, bill_date: str) -> int:
    """Reconcile one merchant's day (an ISO date); how many differences it found."""
    merchant = MerchantAccount.objects.get(pk=merchant_id)
    run = actions.reconcile(merchant, bill_date=date.fromisoformat(bill_date))
    return run.differences.count()
