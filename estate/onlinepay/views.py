"""The cashier's reconciliation page: each day's run with the provider's bill and the
differences it found; "run now" for a day."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from estate.accounts.roles import Capability
from estate.core.permissions import office_for, staff_view
from estate.onlinepay import actions
from estate.onlinepay.models import MerchantAccount, OnlinePayment, ReconciliationRun

FEES = Capability.COLLECT_FEES


@staff_view(FEES)
@require_http_methods(["GET", "POST"])
def reconciliation(request: HttpRequest) -> HttpResponse:
    office = office_for(request, FEES)
    merchants = list(MerchantAccount.objects.filter(office=office).order_by("provider"))
    error = ""
    yesterday = timezone.localdate() - timedelta(days=1)
    if request.method == "POST":
        try:
            day = date.fromisoformat(request.POST.get("bill_date", ""))
        except ValueError:
            day = None
        if day is None or day >= timezone.localdate():
            error = gettext("Bill date: give a day before today.")
        else:
            for merchant in merchants:
                if merchant.enabled:
                    actions.reconcile(merchant, bill_date=day, by=request.user)
            messages.success(request, gettext("Reconciled with the providers' bills."))
            return redirect(f"{reverse('onlinepay:reconciliation')}?office={office.pk}")
    runs = (
        ReconciliationRun.objects.filter(office=office)
        .select_related("merchant")
        .prefetch_related("differences")[:30]
    )
    recent = (
        OnlinePayment.objects.filter(office=office)
        .select_related("statement__unit")
        .order_by("-started_at")[:20]
    )
    return render(
        request,
        "onlinepay/reconciliation.html",
        {
            "office": office,
            "merchants": merchants,
            "runs": runs,
            "recent": recent,
            "error": error,
            "bill_date": request.POST.get("bill_date", "") or yesterday.isoformat(),
        },
    )
