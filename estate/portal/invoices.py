"""A household asks for an invoice for one of its payments, and downloads it once issued."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from estate.billing.models import Payment
from estate.core.forms import add_errors
from estate.invoicing import actions
from estate.invoicing.choices import RequestChannel
from estate.invoicing.forms import InvoiceRequestForm
from estate.invoicing.models import Invoice
from estate.invoicing.views import pdf_of
from estate.portal.bills import my_statements


@login_required(login_url="portal:sign_in")
@require_http_methods(["GET", "POST"])
def request_invoice(request: HttpRequest, payment_id: int) -> HttpResponse:
    payment = get_object_or_404(
        Payment.objects.filter(statement__in=my_statements(request)).select_related(
            "statement__unit"
        ),
        pk=payment_id,
    )
    form = InvoiceRequestForm(request.POST or None, initial={"buyer_name": payment.statement.payer})
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_invoice(payment, by=request.user, channel=RequestChannel.PORTAL,
                                    **form.cleaned_data)  # fmt: skip
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, gettext("Invoice requested: we will send it once it is issued.")
            )
            return redirect("portal:bills")
    return render(
        request,
        "portal/invoice_request.html",
        {"payment": payment, "form": form},
        status=400 if form.errors else 200,
    )


@login_required(login_url="portal:sign_in")
def invoice_pdf(request: HttpRequest, pk: int) -> FileResponse:
    return pdf_of(
        get_object_or_404(
            Invoice.objects.filter(request__payment__statement__in=my_statements(request)), pk=pk
        )
    )
