"""Invoices (發票): the unified social credit code's check; a household asks for one in the portal
(for its own payments only), the desk asks for one at the counter; the cashier issues it through
the console provider (a numbered PDF in Chinese, emailed with the PDF and texted with a link) or
refuses it; a refund approved raises a red-letter invoice; the quarter's invoiced and
uninvoiced amounts on the billing page."""

import re
import shutil
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from estate.accounts.models import User
from estate.billing import payments
from estate.billing.models import Payment
from estate.core.conflicts import Conflict
from estate.invoicing import actions, tax_ids
from estate.invoicing.choices import InvoiceKind, RequestStatus
from estate.invoicing.figures import invoiced_in
from estate.invoicing.models import Invoice, InvoiceRequest
from estate.messaging.choices import Kind
from estate.messaging.models import Message
from estate.properties.models import Resident
from tests.billing_fixtures import D
from tests.factories import PASSWORD, staff

ALPHABET = tax_ids.ALPHABET


def uscc(body: str) -> str:
    """A code in the standard's format: ``body`` (17 characters) and its check character."""
    return body + tax_ids.check_character(body)


# 9 (工商) 1 (企業) 440300 (深圳市) then a 9-character organisation code.
ACME = uscc("91440300MA5F0BQX1")
MISTYPED = ACME[:-1] + ("1" if ACME[-1] == "0" else "0")  # the wrong check character

bodies = st.builds(
    lambda authority, kind, region, org: authority + kind + region + org,
    st.sampled_from(tax_ids.AUTHORITIES),
    st.sampled_from(ALPHABET),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(ALPHABET, min_size=9, max_size=9),
)


@given(body=bodies, position=st.integers(0, 17), replacement=st.sampled_from(ALPHABET + "IOZSV-"))
def test_a_code_with_its_check_passes_and_any_single_change_fails(body, position, replacement):
    code = uscc(body)
    assert tax_ids.is_valid(code)
    assert tax_ids.is_valid(code.lower())
    changed = code[:position] + replacement + code[position + 1 :]
    if changed != code:
        assert not tax_ids.is_valid(changed)


def test_the_check_follows_the_standard_and_folds_what_people_type():
    # Σ = 0 for seventeen zeros after the authority 9 … worked by hand: 9×1 = 9, 31 − 9 = 22 → N.
    assert tax_ids.check_character("9" + "0" * 16) == "N"
    assert tax_ids.check_character("1" * 17) == ALPHABET[(31 - sum(tax_ids.WEIGHTS) % 31) % 31]
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in ACME.lower())
    assert tax_ids.normalise(f" {full_width} ") == ACME
    assert tax_ids.is_valid(full_width)
    assert not tax_ids.is_valid(ACME[:-1])  # 17 characters
    assert not tax_ids.is_valid("2" + ACME[1:])  # no such registration authority
    assert not tax_ids.is_valid(ACME[:2] + "44O300" + ACME[8:])  # a letter in the region


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def chen(bsw):
    """陳美玲 of 3-1202, with a portal login."""
    chen = Resident.objects.get(phone="13812341234")
    chen.user = User.objects.create_user(username="chen", password=PASSWORD)
    chen.save(update_fields=["user"])
    return chen


@pytest.fixture
def paid(issued, cashier):
    """3-1202 paid 443.00 and 3-1201 paid its 1,630.50 in full."""
    return {
        "3-1202": payments.receive_payment(
            issued["3-1202"], amount=D("443.00"), method="cash", by=cashier
        ),
        "3-1201": payments.receive_payment(
            issued["3-1201"], amount=D("1630.50"), method="wechat", reference="WX1", by=cashier
        ),
    }


def ask(payment, by, **fields):
    buyer = {"buyer_kind": "person", "buyer_name": "陳美玲", "email": "chen@example.cn"}
    return actions.request_invoice(payment, by=by, channel="desk", **(buyer | fields))


def issue(request, cashier, capture):
    with capture(execute=True):
        return actions.issue_invoice(request, by=cashier)


def text_of(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode()


def test_a_resident_asks_for_an_invoice_for_the_households_payment_only(client, chen, paid):
    client.force_login(chen.user)
    mine, theirs = paid["3-1202"], paid["3-1201"]
    bills = client.get(reverse("portal:bills")).content.decode()
    assert reverse("portal:request_invoice", args=[mine.pk]) in bills
    form = client.get(reverse("portal:request_invoice", args=[mine.pk]))
    assert form.status_code == 200
    assert "陳美玲" in form.content.decode()  # the payer, filled in
    for url in (reverse("portal:request_invoice", args=[theirs.pk]),):
        assert client.get(url).status_code == 404
        assert client.post(url, {"buyer_kind": "person", "buyer_name": "x"}).status_code == 404
    refused = client.post(
        reverse("portal:request_invoice", args=[mine.pk]),
        {"buyer_kind": "company", "buyer_name": "深圳市某某科技有限公司", "tax_id": MISTYPED},
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'data-field="tax_id"' in page
    assert 'data-field="email"' in page  # no way to receive it given
    assert "深圳市某某科技有限公司" in page  # what was typed is kept
    answer = client.post(
        reverse("portal:request_invoice", args=[mine.pk]),
        {"buyer_kind": "company", "buyer_name": "深圳市某某科技有限公司",
         "tax_id": ACME.lower(), "phone": "138 1234 1234"},
    )  # fmt: skip
    assert answer.status_code == 302
    asked = InvoiceRequest.objects.get()
    assert (asked.channel, asked.tax_id, asked.phone, asked.status) == (
        "portal",
        ACME,
        "13812341234",
        RequestStatus.REQUESTED,
    )
    assert asked.requested_by == chen.user
    assert (
        reverse("portal:request_invoice", args=[mine.pk])
        not in client.get(reverse("portal:bills")).content.decode()
    )
    again = client.post(
        reverse("portal:request_invoice", args=[mine.pk]),
        {"buyer_kind": "person", "buyer_name": "陳美玲", "email": "chen@example.cn"},
    )
    assert again.status_code == 400
    assert InvoiceRequest.objects.count() == 1


def test_the_desk_asks_at_the_counter_and_bad_input_names_the_field(client, cashier, paid):
    payment = paid["3-1201"]
    client.force_login(cashier)
    url = reverse("invoicing:desk_request", args=[payment.pk])
    statement = client.get(reverse("billing:statement", args=[payment.statement_id]))
    assert url in statement.content.decode()
    cases = [
        ({"buyer_kind": "company", "buyer_name": "某公司", "email": "a@b.cn"}, "tax_id"),
        ({"buyer_name": "某人", "email": "not-an-address"}, "email"),
        ({"buyer_name": "某人", "phone": "12345"}, "phone"),
        ({"buyer_name": "   ", "email": "a@b.cn"}, "buyer_name"),
    ]
    for change, field in cases:
        with pytest.raises(ValidationError) as refused:
            ask(payment, cashier, **({"email": ""} | change))
        assert field in refused.value.message_dict, change
    assert not InvoiceRequest.objects.exists()
    answer = client.post(
        url, {"buyer_kind": "person", "buyer_name": "李先生", "email": "li@example.cn"}
    )
    assert answer.status_code == 302
    assert InvoiceRequest.objects.get().channel == "desk"


def test_the_cashier_issues_it_once_and_the_buyer_receives_it(
    client, chen, cashier, paid, sms_outbox, django_capture_on_commit_callbacks
):
    asked = ask(paid["3-1202"], chen.user, buyer_name="陳美玲", phone="13812341234")
    invoice = issue(asked, cashier, django_capture_on_commit_callbacks)
    assert re.fullmatch(r"\d{20}", invoice.number)
    assert invoice.number[5:10] == f"{invoice.office_id:05d}"
    assert (invoice.kind, invoice.amount, invoice.tax_rate) == ("blue", D("443.00"), D("0.06"))
    assert invoice.tax_amount == D("25.08")  # 443 × 6 / 106 = 25.075… → 25.08
    assert invoice.net_amount == D("417.92")
    pdf = invoice.pdf.read()
    assert pdf.startswith(b"%PDF")
    printed = text_of(pdf)
    assert "陳美玲" in printed
    assert invoice.number in printed
    [email] = mail.outbox
    assert email.to == ["chen@example.cn"]
    assert invoice.number in email.subject
    [(name, content, kind)] = email.attachments
    assert (name, kind) == (f"{invoice.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    text = Message.objects.get(kind=Kind.INVOICE_ISSUED)
    assert invoice.number in text.text
    assert text.link.endswith(reverse("portal:invoice_pdf", args=[invoice.pk]))
    assert [phone for phone, _text, _key in sms_outbox] == ["13812341234"]
    invoice.refresh_from_db()
    assert invoice.sent_at is not None
    assert "chen@example.cn" in invoice.sent_to
    with pytest.raises(Conflict):
        actions.issue_invoice(asked, by=cashier)
    assert Invoice.objects.count() == 1
    with pytest.raises(ValidationError) as again:
        ask(paid["3-1202"], cashier)
    assert "payment" in again.value.message_dict
    # The household downloads it, the neighbour cannot; staff download it too.
    client.force_login(chen.user)
    assert "invoice-pdf" in client.get(reverse("portal:bills")).content.decode()
    mine = client.get(reverse("portal:invoice_pdf", args=[invoice.pk]))
    assert b"".join(mine.streaming_content).startswith(b"%PDF")
    neighbour = Resident.objects.get(household__unit__address="3-1201")
    neighbour.user = User.objects.create_user(username="neighbour", password=PASSWORD)
    neighbour.save(update_fields=["user"])
    client.force_login(neighbour.user)
    assert client.get(reverse("portal:invoice_pdf", args=[invoice.pk])).status_code == 404
    client.force_login(cashier)
    assert client.get(reverse("invoicing:invoice_pdf", args=[invoice.pk])).status_code == 200


def test_only_fee_collectors_issue_and_a_refusal_needs_a_reason(
    client, bsw, other_office, cashier, reception, paid, django_capture_on_commit_callbacks
):
    asked = ask(paid["3-1201"], cashier)
    with pytest.raises(PermissionDenied):
        actions.issue_invoice(asked, by=reception)
    elsewhere = staff("other_cashier", "cashier", other_office)
    with pytest.raises(PermissionDenied):
        actions.issue_invoice(asked, by=elsewhere)
    client.force_login(elsewhere)
    assert client.get(reverse("invoicing:invoice_pdf", args=[1])).status_code == 404
    client.force_login(cashier)
    page = client.get(reverse("invoicing:requests"))
    assert asked.buyer_name in page.content.decode()
    blank = client.post(
        reverse("invoicing:requests"), {"request": asked.pk, "do": "refuse", "reason": ""}
    )
    assert blank.status_code == 400
    assert 'data-field="reason"' in blank.content.decode()
    client.post(
        reverse("invoicing:requests"),
        {"request": asked.pk, "do": "refuse", "reason": "抬頭與營業執照不符"},
    )
    asked.refresh_from_db()
    assert (asked.status, asked.refused_reason) == (RequestStatus.REFUSED, "抬頭與營業執照不符")
    corrected = ask(paid["3-1201"], cashier, buyer_name="李先生")  # asked again, corrected
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("invoicing:requests"), {"request": corrected.pk, "do": "issue"}
        )
    assert answer.status_code == 302
    assert Invoice.objects.get().request == corrected


def test_a_refund_approved_raises_a_red_letter_invoice_against_it(
    cashier, head, paid, django_capture_on_commit_callbacks
):
    payment = paid["3-1201"]
    blue = issue(ask(payment, cashier), cashier, django_capture_on_commit_callbacks)
    refund = payments.request_reversal(
        payment, kind="refund", amount=D("30.50"), reason="多收了車位費", by=cashier
    )
    assert not blue.red_letters.exists()  # nothing until the head approves
    with django_capture_on_commit_callbacks(execute=True):
        payments.decide_reversal(refund, approve=True, by=head)
    red = Invoice.objects.get(kind=InvoiceKind.RED)
    assert (red.original, red.reversal, red.amount) == (blue, refund, D("-30.50"))
    assert red.tax_amount == D("-1.73")  # mirrors 30.50 × 6 / 106 = 1.726… → 1.73
    assert red.number != blue.number
    assert red.pdf.read().startswith(b"%PDF")
    assert red.issued_by == head
    assert len(mail.outbox) == 2  # the buyer receives the red letter too
    assert actions.raise_red_letter(refund) == red  # once per reversal
    rest = payments.request_reversal(
        payment, kind="refund", amount=D("1600.00"), reason="退房", by=cashier
    )
    with django_capture_on_commit_callbacks(execute=True):
        payments.decide_reversal(rest, approve=True, by=head)
    assert sum(i.amount for i in Invoice.objects.all()) == D("0.00")
    with pytest.raises(ValidationError) as nothing_left:
        ask(payment, cashier)
    assert "payment" in nothing_left.value.message_dict


def test_a_refund_approved_before_issue_is_left_out_of_the_invoice(
    cashier, head, paid, django_capture_on_commit_callbacks
):
    payment = paid["3-1201"]
    asked = ask(payment, cashier)
    refund = payments.request_reversal(
        payment, kind="refund", amount=D("30.50"), reason="多收了", by=cashier
    )
    with django_capture_on_commit_callbacks(execute=True):
        payments.decide_reversal(refund, approve=True, by=head)
    blue = issue(asked, cashier, django_capture_on_commit_callbacks)
    assert blue.amount == D("1600.00")
    assert actions.raise_red_letter(refund) is None
    assert not Invoice.objects.filter(kind=InvoiceKind.RED).exists()


def test_the_quarter_shows_invoiced_and_uninvoiced_amounts(
    client, bsw, cashier, head, paid, issued, django_capture_on_commit_callbacks
):
    # Kept: 443.00 + 1,630.50 + 1,040.25 = 3,113.75; invoiced: 1,630.50 less a 30.50 refund.
    payments.receive_payment(issued["3-S01"], amount=D("1040.25"), method="cash", by=cashier)
    issue(ask(paid["3-1201"], cashier), cashier, django_capture_on_commit_callbacks)
    ask(paid["3-1202"], cashier)  # waiting: not invoiced yet
    refund = payments.request_reversal(
        paid["3-1201"], kind="refund", amount=D("30.50"), reason="多收了", by=cashier
    )
    with django_capture_on_commit_callbacks(execute=True):
        payments.decide_reversal(refund, approve=True, by=head)
    figures = invoiced_in(bsw.pk, "2026Q4")
    assert (figures.kept, figures.invoiced, figures.uninvoiced, figures.waiting) == (
        D("3083.25"),
        D("1600.00"),
        D("1483.25"),
        1,
    )
    assert invoiced_in(bsw.pk, "2026Q3").kept == D("0.00")
    client.force_login(cashier)
    home = client.get(reverse("billing:home"), {"quarter": "2026Q4"}).content.decode()
    assert re.search(r'data-testid="invoiced-amount">1,600.00<', home)
    assert re.search(r'data-testid="uninvoiced-amount">1,483.25<', home)
    assert Payment.objects.count() == 3
