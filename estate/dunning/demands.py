"""Formal demands (催告函): drafted or issued as a PDF listing what the household owes past due,
then delivered, with the proof that it reached the household (簽收, 掛號信, 電子送達).

A demand is what a court asks to see before an office's claim for fees (民法典 第九百四十四條:
a demand, a reasonable time, then a suit or arbitration), so its words, its amount and its proof
are kept as they were: the PDF is stored, the statements it lists are kept with what each owed."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from estate.billing.models import Statement
from estate.core import uploads
from estate.dunning import letter
from estate.dunning.choices import DeliveryMethod, DemandStatus
from estate.dunning.models import DemandedStatement, FormalDemand
from estate.language import guard
from estate.language.choices import Channel as GuardChannel
from estate.messaging.broadcast import main_contacts
from estate.messaging.choices import Channel as MessageChannel
from estate.properties.models import Household

# A reasonable time to pay (合理期限): two weeks by default; at least a week, at most a quarter.
DEFAULT_DAYS = 15
SHORTEST_DAYS = 7
LONGEST_DAYS = 90
MAX_PROOF_BYTES = 10 * 1024 * 1024
ELECTRONIC_CHANNELS = (*MessageChannel.values, "portal")


def overdue(household: Household, on: date) -> list[Statement]:
    """The household's statements with money owed past their due date on ``on``."""
    return list(
        Statement.objects.filter(household=household, paid__lt=F("total"), due_on__lt=on)
        .select_related("office")
        .order_by("quarter", "id")
    )


def _letter(demand: FormalDemand, owed: list[letter.Owed]) -> letter.Letter:
    return letter.Letter(
        office=demand.office,
        household=demand.household,
        payer=demand.payer,
        number=demand.number if demand.status != DemandStatus.DRAFTED else "",
        dated=letter.dated(demand.issued_at or demand.drafted_at),
        pay_by=demand.pay_by,
        owed=owed,
        note=demand.note,
        draft=demand.status == DemandStatus.DRAFTED,
    )


def _owed_rows(demand: FormalDemand) -> list[letter.Owed]:
    return [
        letter.Owed(row.statement.quarter, row.statement.number, row.statement.due_on, row.owed)
        for row in demand.listed.select_related("statement").order_by("statement__quarter", "id")
    ]


def _check(demand: FormalDemand, words: letter.Letter, by: Any) -> None:
    """Nothing in the letter may threaten (the office's forbidden phrases) or name cutting off a
    supply or access; the staff's note is named when it is the one at fault."""
    texts = words.paragraphs()
    letter.check_coercion(texts)
    note = texts.pop("note", "")
    guard.enforce(
        office=demand.office,
        by=by,
        channel=GuardChannel.NOTICE,
        letter="\n".join(texts.values()),
        **({"note": note} if note else {}),
    )


def _print(demand: FormalDemand, by: Any) -> None:
    words = _letter(demand, _owed_rows(demand))
    _check(demand, words, by)
    if demand.pdf:
        demand.pdf.delete(save=False)
    name = f"{demand.office.code}-{demand.pk}-{demand.status}.pdf"
    demand.pdf.save(name, ContentFile(letter.render(words)), save=False)
    demand.save(update_fields=["pdf"])


def issue_formal_demand(
    *,
    household: Household,
    by: Any,
    pay_by: date | None = None,
    note: str = "",
    draft: bool = False,
    at: datetime | None = None,
) -> FormalDemand:
    """A demand for what the household owes past due today, to be paid by ``pay_by`` (two weeks
    on by default, at least one): printed at once, as a draft to read over or issued."""
    at = at or timezone.now()
    today = timezone.localtime(at).date()
    pay_by = pay_by or today + timedelta(days=DEFAULT_DAYS)
    note = (note or "").strip()
    errors: dict[str, Any] = {}
    owed = overdue(household, today)
    if not owed:
        errors["household"] = _("The household owes nothing past its due date.")
    if pay_by < today + timedelta(days=SHORTEST_DAYS):
        errors["pay_by"] = _("Give the household at least %(days)d days to pay.") % {
            "days": SHORTEST_DAYS
        }
    elif pay_by > today + timedelta(days=LONGEST_DAYS):
        errors["pay_by"] = _("The pay-by date may be at most %(days)d days away.") % {
            "days": LONGEST_DAYS
        }
    if len(note) > 1000:
        errors["note"] = _("Keep the note to 1,000 characters.")
    if errors:
        raise ValidationError(errors)
    contact = main_contacts([household.pk]).get(household.pk)
    payer = owed[-1].payer or (contact.name if contact else "")
    with transaction.atomic():
        demand = FormalDemand.objects.create(
            office_id=household.office_id,
            household=household,
            payer=payer,
            amount=sum((s.total - s.paid for s in owed), Decimal("0.00")),
            status=DemandStatus.DRAFTED if draft else DemandStatus.ISSUED,
            drafted_at=at,
            issued_at=None if draft else at,
            issued_by=None if draft else by,
            pay_by=pay_by,
            note=note,
        )
        DemandedStatement.objects.bulk_create(
            DemandedStatement(demand=demand, statement=s, owed=s.total - s.paid) for s in owed
        )
        _print(demand, by)
    return demand


def issue_draft(*, demand: FormalDemand, by: Any, at: datetime | None = None) -> FormalDemand:
    """Issue a demand read over as a draft: it gets its number and date, and is printed again."""
    at = at or timezone.now()
    with transaction.atomic():
        issued = FormalDemand.objects.filter(pk=demand.pk, status=DemandStatus.DRAFTED).update(
            status=DemandStatus.ISSUED, issued_at=at, issued_by=by
        )
        if not issued:
            raise ValidationError({"status": _("This demand has been issued already.")})
        demand.refresh_from_db()
        _print(demand, by)
    return demand


# Registered mail (掛號信): the UPU S10 form China Post prints (XA123456785CN, its check digit
# verified), or a domestic number of 2 letters and 11 digits, or 10 to 13 digits (EMS, couriers).
S10 = re.compile(r"[A-Z]{2}([0-9]{8})([0-9])[A-Z]{2}")
DOMESTIC = re.compile(r"[A-Z]{2}[0-9]{11}|[0-9]{10,13}")
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def mail_number(value: str) -> str | None:
    """The registered-mail number written the one way (capitals, no spaces), or None."""
    number = re.sub(r"[\s-]", "", value or "").upper()
    s10 = S10.fullmatch(number)
    if s10:
        check = 11 - sum(int(d) * w for d, w in zip(s10[1], S10_WEIGHTS, strict=True)) % 11
        check = {10: 0, 11: 5}.get(check, check)
        return number if check == int(s10[2]) else None
    return number if DOMESTIC.fullmatch(number) else None


def record_delivery(
    *,
    demand: FormalDemand,
    method: str,
    by: Any,
    reference: str = "",
    proof: Any = None,
    at: datetime | None = None,
    electronic_channel: str = "",
) -> FormalDemand:
    """How the demand reached the household, and when: a signed receipt (a photo or scan of the
    slip may be kept), registered mail (its number, required and checked) or an electronic
    delivery (the channel and the message's id)."""
    now = timezone.now()
    at = at or now
    reference = (reference or "").strip()
    errors: dict[str, Any] = {}
    if method not in DeliveryMethod.values:
        errors["method"] = _("Choose how the demand was delivered.")
    if method == DeliveryMethod.REGISTERED:
        if not reference:
            errors["reference"] = _("Give the registered-mail number.")
        else:
            number = mail_number(reference)
            if number is None:
                errors["reference"] = _(
                    "“%(value)s” is not a registered-mail number (such as XA123456785CN)."
                ) % {"value": reference[:40]}
            reference = number or reference
    elif method == DeliveryMethod.ELECTRONIC:
        if electronic_channel not in ELECTRONIC_CHANNELS:
            errors["electronic_channel"] = _("Choose the channel it was delivered by.")
        if not reference:
            errors["reference"] = _("Give the id of the message that delivered it.")
    if len(reference) > 60:
        errors["reference"] = _("Keep the reference to 60 characters.")
    if at > now:
        errors["at"] = _("A delivery cannot be recorded in the future.")
    elif demand.issued_at and at < demand.issued_at:
        errors["at"] = _("The demand cannot have been delivered before it was issued.")
    checked = None
    if proof:
        try:
            checked = uploads.check(
                proof,
                allowed={**uploads.PHOTOS, "pdf": uploads.PDF},
                field="proof",
                label=_("Proof"),
                refused=_("attach a photo or a PDF scan of the signed receipt."),
                max_bytes=MAX_PROOF_BYTES,
                too_big=_("The file is larger than 10 MB."),
            )
        except ValidationError as refused:
            errors.update(refused.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        delivered = FormalDemand.objects.filter(pk=demand.pk, status=DemandStatus.ISSUED).update(
            status=DemandStatus.DELIVERED,
            delivery_method=method,
            reference=reference if method != DeliveryMethod.SIGNED else reference[:60],
            electronic_channel=electronic_channel if method == DeliveryMethod.ELECTRONIC else "",
            delivered_at=at,
            delivery_recorded_by=by,
        )
        if not delivered:
            raise ValidationError(
                {
                    "method": _("Issue the demand first.")
                    if demand.status == DemandStatus.DRAFTED
                    else _("Its delivery has been recorded already.")
                }
            )
        demand.refresh_from_db()
        if checked is not None:
            demand.proof.save(checked.stored_name, checked.as_file(), save=False)
            demand.proof_name = checked.display_name[:120]
            demand.proof_content_type = checked.content_type
            demand.save(update_fields=["proof", "proof_name", "proof_content_type"])
    return demand
