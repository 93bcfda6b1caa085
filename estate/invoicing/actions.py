"""The writes of invoicing: ask for an invoice, issue it through the provider, refuse it, and
raise the red-letter invoice (紅字發票) a refund or void needs. Each in one transaction."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.billing.choices import ReversalStatus
from estate.billing.models import Payment, Reversal, Statement
from estate.core.conflicts import Conflict
from estate.core.money import ZERO, to_cents
from estate.invoicing import tax_ids
from estate.invoicing.choices import BuyerKind, InvoiceKind, RequestChannel, RequestStatus
from estate.invoicing.models import Invoice, InvoiceRequest
from estate.invoicing.providers import (
    InvoiceData,
    InvoiceLine,
    IssuedInvoice,
    ProviderRefused,
    RedData,
    invoice_provider,
)
from estate.messaging.sms import mainland_mobile


def tax_of(amount: Decimal, rate: Decimal) -> Decimal:
    """The VAT inside an amount that includes it (價稅合計 → 稅額), rounded half up (away from
    zero, so a red letter's tax mirrors its original's)."""
    return to_cents(amount * rate / (1 + rate))


def invoiceable(payment: Payment) -> Decimal:
    """What is left of a payment once its approved voids and refunds are taken off."""
    reversed_ = payment.reversals.filter(status=ReversalStatus.APPROVED).aggregate(
        total=Sum("amount")
    )["total"]
    return payment.amount - (reversed_ or ZERO)


def _checked_buyer(
    *, buyer_kind: str, buyer_name: str, tax_id: str, email: str, phone: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = " ".join((buyer_name or "").split())
    code = tax_ids.normalise(tax_id)
    email = (email or "").strip()
    mobile = ""
    if buyer_kind not in BuyerKind.values:
        errors["buyer_kind"] = _("Choose whether the buyer is a person or a company.")
    if not name:
        errors["buyer_name"] = _("Write the buyer's name as it should appear on the invoice.")
    elif len(name) > 100:
        errors["buyer_name"] = _("The buyer's name can be at most 100 characters.")
    if buyer_kind == BuyerKind.COMPANY and not code:
        errors["tax_id"] = _("A company's invoice needs its unified social credit code.")
    elif code and not tax_ids.is_valid(code):
        errors["tax_id"] = _(
            "%(code)s is not a valid unified social credit code: check its 18 characters."
        ) % {"code": code}
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid email address.")
    if (phone or "").strip():
        mobile = mainland_mobile(phone) or ""
        if not mobile:
            errors["phone"] = _("Enter an 11-digit mainland mobile number.")
    if not email and not (phone or "").strip() and "email" not in errors:
        errors["email"] = _("Give an email address or a mobile number to receive the invoice.")
    if errors:
        raise ValidationError(errors)
    return {"buyer_kind": buyer_kind, "buyer_name": name, "tax_id": code, "email": email,
            "phone": mobile}  # fmt: skip


def request_invoice(
    payment: Payment,
    *,
    buyer_kind: str,
    buyer_name: str,
    tax_id: str = "",
    email: str = "",
    phone: str = "",
    by: Any,
    channel: str,
) -> InvoiceRequest:
    """Ask for an invoice for ``payment`` (one per payment; a refused one may be asked again)."""
    if channel not in RequestChannel.values:
        raise ValidationError({"channel": _("Say where the invoice was asked for.")})
    buyer = _checked_buyer(
        buyer_kind=buyer_kind, buyer_name=buyer_name, tax_id=tax_id, email=email, phone=phone
    )
    already = _("An invoice was asked for this payment already.")
    try:
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            if invoiceable(locked) <= 0:
                raise ValidationError(
                    {
                        "payment": _(
                            "This payment was voided or refunded in full: nothing to invoice."
                        )
                    }
                )
            if (
                InvoiceRequest.objects.filter(payment=locked)
                .exclude(status=RequestStatus.REFUSED)
                .exists()
            ):
                raise Conflict({"payment": already})
            return InvoiceRequest.objects.create(
                office_id=locked.office_id,
                payment=locked,
                channel=channel,
                requested_by=by,
                requested_at=timezone.now(),
                **buyer,
            )
    except IntegrityError:
        # Another request for the same payment won the race.
        raise Conflict({"payment": already}) from None


def _may_collect(by: Any, office_id: int) -> None:
    if not scope_for(by).can(Capability.COLLECT_FEES, office_id):
        raise PermissionDenied


def issue_invoice(request: InvoiceRequest, *, by: Any) -> Invoice:
    """Issue the invoice of a waiting request through the provider, store its number, day and
    PDF, and send it to the buyer once stored."""
    _may_collect(by, request.office_id)
    provider = invoice_provider()
    with transaction.atomic():
        # The statement's lock, as payments and reversals take it: a refund decided at this
        # moment is either in the amount or raises a red letter afterwards, never both.
        Statement.objects.select_for_update().get(pk=request.payment.statement_id)
        locked = (
            InvoiceRequest.objects.select_for_update()
            .select_related("payment__statement__office")
            .get(pk=request.pk)
        )
        if locked.status != RequestStatus.REQUESTED:
            raise Conflict(_("This request was issued or refused already."))
        payment = locked.payment
        amount = invoiceable(payment)
        if amount <= 0:
            raise ValidationError(
                {"payment": _("This payment was voided or refunded in full: nothing to invoice.")}
            )
        statement = payment.statement
        rate = provider.tax_rate
        data = InvoiceData(
            serial=f"estate-{locked.office_id}-request-{locked.pk}",
            office_id=locked.office_id,
            seller_name=statement.office.name,
            buyer_kind=locked.buyer_kind,
            buyer_name=locked.buyer_name,
            tax_id=locked.tax_id,
            email=locked.email,
            phone=locked.phone,
            lines=(
                InvoiceLine(
                    _("Property management services %(quarter)s, %(unit)s")
                    % {"quarter": statement.quarter, "unit": statement.unit.address},
                    amount,
                ),
            ),
            amount=amount,
            tax_rate=rate,
            tax_amount=tax_of(amount, rate),
            remark=payment.receipt_number,
        )
        issued = _call(provider.issue, data)
        invoice = _store(
            issued, request=locked, kind=InvoiceKind.BLUE, amount=amount, tax_rate=rate,
            tax_amount=data.tax_amount, provider=provider.name, by=by,
        )  # fmt: skip
        InvoiceRequest.objects.filter(pk=locked.pk).update(
            status=RequestStatus.ISSUED, decided_by=by, decided_at=timezone.now()
        )
    request.refresh_from_db()
    return invoice


def _call(method: Any, data: Any) -> IssuedInvoice:
    try:
        issued: IssuedInvoice = method(data)
    except ProviderRefused as refused:
        raise ValidationError(
            _("The invoice provider refused: %(reason)s") % {"reason": refused}
        ) from None
    return issued


def _store(issued: IssuedInvoice, *, request: InvoiceRequest, **fields: Any) -> Invoice:
    from estate.invoicing.sending import send_invoice

    by = fields.pop("by")
    invoice = Invoice(
        office_id=request.office_id,
        request=request,
        number=issued.number,
        issued_on=issued.issued_on,
        issued_at=timezone.now(),
        reference=issued.reference[:80],
        issued_by=by if getattr(by, "is_authenticated", False) else None,
        **fields,
    )
    invoice.pdf.save(f"{issued.number}.pdf", ContentFile(issued.pdf_bytes), save=True)
    transaction.on_commit(partial(send_invoice.enqueue, invoice.pk))
    return invoice


def refuse_request(request: InvoiceRequest, *, reason: str, by: Any) -> InvoiceRequest:
    """Refuse a waiting request with the reason (the buyer may ask again, corrected)."""
    _may_collect(by, request.office_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})
    if not InvoiceRequest.objects.filter(pk=request.pk, status=RequestStatus.REQUESTED).update(
        status=RequestStatus.REFUSED,
        refused_reason=reason.strip()[:200],
        decided_by=by,
        decided_at=timezone.now(),
    ):
        raise Conflict(_("This request was issued or refused already."))
    request.refresh_from_db()
    return request


def raise_red_letter(reversal: Reversal) -> Invoice | None:
    """The red-letter invoice for an approved void or refund of an invoiced payment, for the
    amount given back (never more than is left on the invoice); once per reversal. None when
    there is nothing to cancel: no invoice, or one issued after the reversal was decided
    (its amount left the reversal out already). Runs again safely."""
    provider = invoice_provider()
    with transaction.atomic():
        locked = Reversal.objects.select_for_update().get(pk=reversal.pk)
        if locked.status != ReversalStatus.APPROVED or locked.decided_at is None:
            return None
        done = Invoice.objects.filter(reversal=locked).first()
        if done is not None:
            return done
        blue = (
            Invoice.objects.select_for_update()
            .select_related("request", "office")
            .filter(kind=InvoiceKind.BLUE, request__payment_id=locked.payment_id)
            .first()
        )
        if blue is None:
            return None
        # What the invoices say now, less what they should say: the payment net of every
        # approved reversal. A reversal decided before the invoice was issued is in its amount
        # already, so it leaves nothing to cancel, however close the two moments were.
        cancelled = blue.red_letters.aggregate(total=Sum("amount"))["total"] or ZERO
        excess = blue.amount + cancelled - max(invoiceable(locked.payment), ZERO)
        amount = min(locked.amount, excess)
        if amount <= 0:
            return None
        data = RedData(
            serial=f"estate-{locked.office_id}-reversal-{locked.pk}",
            office_id=locked.office_id,
            seller_name=blue.office.name,
            buyer_name=blue.request.buyer_name,
            tax_id=blue.request.tax_id,
            original_number=blue.number,
            original_issued_on=blue.issued_on,
            amount=-amount,
            tax_rate=blue.tax_rate,
            tax_amount=-tax_of(amount, blue.tax_rate),
            reason=f"{locked.get_kind_display()}: {locked.reason}",
        )
        issued = _call(provider.issue_red, data)
        return _store(
            issued, request=blue.request, kind=InvoiceKind.RED, original=blue, reversal=locked,
            amount=data.amount, tax_rate=data.tax_rate, tax_amount=data.tax_amount,
            reason=data.reason[:200], provider=provider.name, by=locked.decided_by,
        )  # fmt: skip
