"""The cashier's invoice pages: requests waiting (issue or refuse), asking for one at the desk
for a payment, and an invoice's PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from estate.accounts.roles import Capability
from estate.billing.models import Payment
from estate.core.forms import add_errors
from estate.core.permissions import office_for, staff_view
from estate.invoicing import actions
from estate.invoicing.choices import RequestChannel, RequestStatus
from estate.invoicing.forms import InvoiceRequestForm, RefuseForm
from estate.invoicing.models import Invoice, InvoiceRequest

FEES = Capability.COLLECT_FEES


@staff_view(FEES)
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest) -> HttpResponse:
    office = office_for(request, FEES)
    failed: tuple[int, RefuseForm] | None = None
    if request.method == "POST":
        found = get_object_or_404(
            InvoiceRequest.objects.visible_to(request.user).filter(office=office),
            pk=request.POST.get("request") or 0,
        )
        form = RefuseForm(request.POST)
        try:
            if request.POST.get("do") == "refuse":
                if not form.is_valid():
                    raise ValidationError({"reason": gettext("Give the reason.")})
                actions.refuse_request(found, reason=form.cleaned_data["reason"], by=request.user)
                messages.success(request, gettext("Request refused."))
            else:
                invoice = actions.issue_invoice(found, by=request.user)
                messages.success(
                    request, gettext("Invoice %(number)s issued.") % {"number": invoice.number}
                )
            return redirect(f"{reverse('invoicing:requests')}?office={office.pk}")
        except ValidationError as error:
            form = RefuseForm(request.POST)
            form.is_valid()
            add_errors(form, error)
            failed = (found.pk, form)
    waiting = (
        InvoiceRequest.objects.filter(office=office, status=RequestStatus.REQUESTED)
        .select_related("payment__statement__unit", "requested_by")
        .order_by("requested_at", "id")
    )
    issued = (
        Invoice.objects.filter(office=office)
        .select_related("request__payment__statement__unit", "original")
        .order_by("-issued_at", "-id")[:30]
    )
    context = {
        "office": office,
        "waiting": waiting,
        "issued": issued,
        "failed": failed,
        "section": "billing",
    }
    return render(request, "invoicing/requests.html", context, status=400 if failed else 200)


@staff_view(FEES)
@require_http_methods(["GET", "POST"])
def desk_request(request: HttpRequest, payment_id: int) -> HttpResponse:
    """The cashier asks for an invoice for a payment, for the buyer at the counter."""
    payment = get_object_or_404(
        Payment.objects.visible_to(request.user).select_related("statement__unit"),
        pk=payment_id,
    )
    form = InvoiceRequestForm(request.POST or None, initial={"buyer_name": payment.statement.payer})
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_invoice(payment, by=request.user, channel=RequestChannel.DESK,
                                    **form.cleaned_data)  # fmt: skip
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("Invoice requested; issue it from the list."))
            return redirect("billing:statement", payment.statement_id)
    context = {"payment": payment, "form": form, "section": "billing"}
    return render(
        request, "invoicing/desk_request.html", context, status=400 if form.errors else 200
    )


def pdf_of(invoice: Invoice) -> FileResponse:
    if not invoice.pdf:
        raise Http404
    response = FileResponse(invoice.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response


@staff_view(FEES)
def invoice_pdf(request: HttpRequest, pk: int) -> FileResponse:
    return pdf_of(get_object_or_404(Invoice.objects.visible_to(request.user), pk=pk))
