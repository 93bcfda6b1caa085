"""Invoices for payments (發票 / 數電發票): a buyer's request, the invoice the provider issued,
and the red-letter invoice (紅字發票) that cancels part or all of one after a refund."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import Capability
from estate.billing.models import Payment, Reversal, money
from estate.invoicing.choices import BuyerKind, InvoiceKind, RequestChannel, RequestStatus
from estate.properties.models import Office, OfficeScoped


class InvoiceRequest(OfficeScoped):
    """A request for an invoice for one payment (開票申請), from the portal or at the desk."""

    read_capability = Capability.COLLECT_FEES

    payment = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        related_name="invoice_requests",
        verbose_name=_("payment"),
    )
    buyer_kind = models.CharField(_("buyer"), max_length=10, choices=BuyerKind.choices)
    buyer_name = models.CharField(_("buyer's name"), max_length=100)
    tax_id = models.CharField(_("tax number"), max_length=18, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    channel = models.CharField(_("asked at"), max_length=10, choices=RequestChannel.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    refused_reason = models.CharField(_("reason refused"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice request")
        verbose_name_plural = _("invoice requests")
        ordering = ["requested_at", "id"]
        constraints = [
            # One live request per payment; a refused one may be asked again, corrected.
            models.UniqueConstraint(
                fields=["payment"],
                condition=~Q(status=RequestStatus.REFUSED),
                name="invoicerequest_one_per_payment",
            ),
            models.CheckConstraint(
                name="invoicerequest_company_tax_id",
                condition=~Q(buyer_kind=BuyerKind.COMPANY) | ~Q(tax_id=""),
            ),
            models.CheckConstraint(
                name="invoicerequest_reachable", condition=~Q(email="") | ~Q(phone="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payment} · {self.buyer_name}"


def invoice_path(instance: Invoice, filename: str) -> str:
    return f"invoices/{instance.office_id}/{instance.issued_on:%Y}/{filename}"


class Invoice(OfficeScoped):
    """An invoice issued (發票, blue) or a red-letter invoice (紅字發票, negative amount) against
    one; the amount includes VAT, split into tax at the rate the provider charged."""

    read_capability = Capability.COLLECT_FEES

    request = models.ForeignKey(
        InvoiceRequest, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("request")
    )
    kind = models.CharField(_("kind"), max_length=4, choices=InvoiceKind.choices)
    original = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="red_letters",
        verbose_name=_("original invoice"),
    )
    reversal = models.OneToOneField(
        Reversal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="red_letter",
        verbose_name=_("for the reversal"),
    )
    number = models.CharField(_("invoice number"), max_length=20)
    issued_on = models.DateField(_("issued on"))
    issued_at = models.DateTimeField(_("stored at"))
    amount = money(_("amount incl. tax"))
    tax_rate = models.DecimalField(_("tax rate"), max_digits=5, decimal_places=4)
    tax_amount = money(_("tax"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=invoice_path, blank=True)
    provider = models.CharField(_("provider"), max_length=40)
    reference = models.CharField(_("provider's reference"), max_length=80, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_to = models.CharField(_("sent to"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "number"], name="invoice_unique_number"),
            models.CheckConstraint(
                name="invoice_sign_of_kind",
                condition=(Q(kind=InvoiceKind.BLUE, amount__gt=0, original__isnull=True))
                | Q(kind=InvoiceKind.RED, amount__lt=0, original__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def net_amount(self) -> Decimal:
        """The amount before tax (不含稅金額)."""
        return self.amount - self.tax_amount


class InvoiceSequence(models.Model):
    """The counter of an office's invoice numbers in a year (發票號段), for the console provider;
    a real provider numbers its own."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="invoicesequence_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.year}: {self.last}"
