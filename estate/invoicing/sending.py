"""Sending an invoice to its buyer: by email with the PDF attached, and by a text with the link
to the portal's copy, to the address and number given in the request (they asked for it there,
so no other consent is needed). Once per invoice."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from estate.invoicing.choices import InvoiceKind
from estate.invoicing.models import Invoice
from estate.messaging.actions import Recipient, tell
from estate.messaging.choices import Channel, Kind


def _language() -> str:
    return settings.LANGUAGE_CODE


@task()
def send_invoice(invoice_id: int) -> str:
    invoice = Invoice.objects.select_related("request", "office").get(pk=invoice_id)
    if invoice.sent_at is not None:
        return invoice.sent_to
    request = invoice.request
    sent_to: list[str] = []
    with override(_language()):
        red = invoice.kind == InvoiceKind.RED
        values = {
            "invoice": invoice.number,
            "amount": f"{invoice.amount:,.2f}",
        }
        if request.email:
            subject = (
                _("Red-letter invoice %(invoice)s") if red else _("Invoice %(invoice)s")
            ) % values
            body = _(
                "Dear %(buyer)s,\n\nattached is invoice %(invoice)s of %(office)s for ¥%(amount)s.\n"
            ) % {**values, "buyer": request.buyer_name, "office": invoice.office.name}
            email = EmailMessage(subject=subject, body=body, to=[request.email])
            with invoice.pdf.open("rb") as pdf:
                email.attach(f"{invoice.number}.pdf", pdf.read(), "application/pdf")
            email.send()
            sent_to.append(request.email)
        if request.phone:
            tell(
                office=invoice.office,
                kind=Kind.INVOICE_ISSUED,
                to=Recipient(name=request.buyer_name, phone=request.phone),
                values=values,
                key=f"invoice:{invoice.pk}",
                link=reverse("portal:invoice_pdf", args=[invoice.pk]),
                answering=Channel.SMS,
            )
            sent_to.append(request.phone)
    told = ", ".join(sent_to)
    Invoice.objects.filter(Q(pk=invoice.pk), Q(sent_at__isnull=True)).update(
        sent_at=timezone.now(), sent_to=told[:200]
    )
    return told
