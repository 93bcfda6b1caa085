"""A household's statements in the portal: what is owed, each line's basis, the PDF, payments
and their receipts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from estate.billing import printing
from estate.billing.models import Payment, Statement
from estate.onlinepay.models import MerchantAccount
from estate.properties.models import Household


def my_statements(request: HttpRequest) -> QuerySet[Statement]:
    """Statements of the households the signed-in resident belongs to (now or before)."""
    homes = Household.objects.filter(residents__user_id=request.user.pk or 0)
    return Statement.objects.filter(household__in=homes)


@login_required(login_url="portal:sign_in")
def bills(request: HttpRequest) -> HttpResponse:
    found = list(
        my_statements(request)
        .select_related("unit")
        .prefetch_related("lines", "payments__invoice_requests__invoices")
        .order_by("-quarter", "unit__sort_key", "number")[:20]
    )
    # The providers each office takes online: the pay buttons of a statement that is owed.
    offices = {s.office_id for s in found}
    online: dict[int, set[str]] = {}
    for office_id, provider in MerchantAccount.objects.filter(
        office_id__in=offices, enabled=True
    ).values_list("office_id", "provider"):
        online.setdefault(office_id, set()).add(provider)
    for statement in found:
        statement.pay_with = online.get(statement.office_id, set())  # type: ignore[attr-defined]
    return render(request, "portal/bills.html", {"statements": found})


@login_required(login_url="portal:sign_in")
def bill_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        my_statements(request).select_related("office", "unit").prefetch_related("lines"), pk=pk
    )
    response = HttpResponse(
        printing.statements_pdf([found], found.number), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{found.number}.pdf"'
    return response


@login_required(login_url="portal:sign_in")
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt of a payment on one of the resident's own statements (the link a payment's
    message carries)."""
    payment = get_object_or_404(
        Payment.objects.filter(statement__in=my_statements(request)).select_related(
            "statement__office", "statement__unit", "received_by"
        ),
        pk=pk,
    )
    response = HttpResponse(printing.receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{payment.receipt_number}.pdf"'
    return response
