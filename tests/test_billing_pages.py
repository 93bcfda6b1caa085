"""The cashier's pages: preview and issue a run, the delivery checklist, take a payment with a
remark, PDFs and XLSX, meter-reading imports (all or nothing), remarks and reversals."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from estate.accounts.roles import Role
from estate.billing import payments
from estate.billing.models import MeterReading, Payment, Remark, Statement
from tests.billing_fixtures import D, read
from tests.factories import staff


@pytest.fixture
def signed_in_cashier(client, cashier):
    client.force_login(cashier)
    return client


def test_preview_then_issue_a_run_for_one_building(signed_in_cashier, bsw, fees):
    client = signed_in_cashier
    read(fees["meter"], "1000.00", "1500.00")
    building = fees["meter"].serves.first().building
    preview = client.get(
        reverse("billing:run"), {"office": bsw.pk, "quarter": "2026Q4", "building": building.pk}
    )
    body = preview.content.decode()
    assert 'data-testid="preview-total">4,113.75<' in body
    assert not Statement.objects.exists()  # a preview writes nothing
    issued = client.post(
        reverse("billing:run"), {"office": bsw.pk, "quarter": "2026Q4", "building": building.pk}
    )
    assert issued.status_code == 302
    assert Statement.objects.count() == 3
    again = client.post(
        reverse("billing:run"), {"office": bsw.pk, "quarter": "2026Q4", "building": building.pk}
    )
    assert again.status_code == 400
    assert 'data-testid="run-problems"' in again.content.decode()
    bad = client.get(reverse("billing:run"), {"office": bsw.pk, "quarter": "2026Q5"})
    assert 'data-field="quarter"' in bad.content.decode()


def test_delivery_checklist_and_the_building_pdf(signed_in_cashier, issued):
    client = signed_in_cashier
    run = issued["3-1202"].run
    client.post(reverse("billing:deliver", args=[run.pk]), {"statement": [issued["3-1202"].pk]})
    assert Statement.objects.filter(delivered_at__isnull=False).count() == 1
    pdf = client.get(reverse("billing:building_pdf", args=[run.pk, issued["3-1202"].building_id]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"/Count 3" in pdf.content


def test_a_partial_payment_with_a_remark_from_the_statement_page(signed_in_cashier, issued):
    client = signed_in_cashier
    bill = issued["3-1202"]
    page = client.post(
        reverse("billing:statement", args=[bill.pk]),
        {
            "do": "pay",
            "pay-amount": "443.00",
            "pay-method": "cash",
            "pay-remark": "下季度能否按月繳？",
        },
    )
    assert page.status_code == 302
    bill.refresh_from_db()
    assert bill.balance == D("1000.00")
    assert Remark.objects.get().text == "下季度能否按月繳？"
    refused = client.post(
        reverse("billing:statement", args=[bill.pk]),
        {"do": "pay", "pay-amount": "5000.00", "pay-method": "cash"},
    )
    assert refused.status_code == 400
    assert 'data-field="amount"' in refused.content.decode()
    receipt = client.get(reverse("billing:receipt_pdf", args=[Payment.objects.get().pk]))
    assert receipt.content.startswith(b"%PDF")


def test_collection_rate_on_the_home_page_moves_with_payments(signed_in_cashier, bsw, issued):
    client = signed_in_cashier
    url = reverse("billing:home")
    before = client.get(url, {"office": bsw.pk, "quarter": "2026Q4"}).content.decode()
    assert 'data-testid="collection-today-amount">0.00%<' in before
    payments.receive_payment(
        issued["3-1202"], amount=D("1443.00"), method="cash", by=issued["3-1202"].run.started_by
    )
    after = client.get(url, {"office": bsw.pk, "quarter": "2026Q4"}).content.decode()
    # 1,443.00 / 4,113.75 = 35.077…%
    assert 'data-testid="collection-today-amount">35.08%<' in after


def test_arrears_reminders_and_exports(signed_in_cashier, bsw, issued):
    client = signed_in_cashier
    page = client.get(reverse("billing:arrears"), {"office": bsw.pk})
    assert page.content.decode().count("BSW-2026Q4-") == 3
    reminders = client.get(reverse("billing:arrears"), {"office": bsw.pk, "format": "pdf"})
    assert b"/Count 3" in reminders.content
    sheet = client.get(reverse("billing:arrears"), {"office": bsw.pk, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4
    statements = client.get(
        reverse("billing:export", args=["statements"]), {"office": bsw.pk, "quarter": "2026Q4"}
    )
    lines = list(load_workbook(io.BytesIO(statements.content)).active.iter_rows(values_only=True))
    assert len(lines) == 1 + 6  # header and two lines per statement


def readings_file(rows, name="readings.csv"):
    if name.endswith(".xlsx"):
        book = Workbook()
        for row in rows:
            book.active.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return SimpleUploadedFile(name, buffer.getvalue())
    text = "\n".join(",".join(str(c) for c in row) for row in rows)
    return SimpleUploadedFile(name, text.encode("gb18030"))


HEADER = ["錶名", "季度", "上期讀數", "本期讀數", "抄錶日期"]


def test_readings_import_is_all_or_nothing_with_errors_by_row(signed_in_cashier, bsw, fees):
    client = signed_in_cashier
    rows = [
        HEADER,
        ["3棟總水錶", "2026Q3", "1000", "1500", "2026-09-30"],
        ["3棟總水錶", "2026Q3", "1500", "1600", "2026-09-30"],  # the same period again
        ["不存在的錶", "2026Q3", "1", "2", "2026-09-30"],
        ["3棟總水錶", "2026Q4", "1600", "1550", "2026-12-31"],  # backwards
    ]
    page = client.post(
        reverse("billing:readings") + f"?office={bsw.pk}", {"file": readings_file(rows)}
    )
    body = page.content.decode()
    assert page.status_code == 400
    assert "第 3 行" in body or "Row 3" in body
    assert body.count("<li>") >= 3
    assert not MeterReading.objects.exists()
    good = client.post(
        reverse("billing:readings") + f"?office={bsw.pk}",
        {"file": readings_file(rows[:2], "readings.xlsx")},
    )
    assert good.status_code == 302
    assert MeterReading.objects.get().usage == D("500")


def test_remarks_are_answered_and_the_head_decides_reversals(client, bsw, issued, cashier, head):
    bill = issued["3-1201"]
    payment = payments.receive_payment(
        bill, amount=D("100.00"), method="cash", by=cashier, remark="收據抬頭寫錯了"
    )
    client.force_login(cashier)
    remark = Remark.objects.get()
    rude = client.post(
        reverse("billing:remarks"), {"office": bsw.pk, "remark": remark.pk, "answer": "別煩了"}
    )
    assert rude.status_code == 400
    client.post(
        reverse("billing:remarks"),
        {"office": bsw.pk, "remark": remark.pk, "answer": "已重新開具收據，請查收。"},
    )
    remark.refresh_from_db()
    assert remark.answered_at is not None
    payments.request_reversal(payment, kind="void", amount=None, reason="收據抬頭錯", by=cashier)
    assert client.get(reverse("billing:reversals")).status_code == 403  # cashiers cannot approve
    client.force_login(head)
    reversal = payment.reversals.get()
    client.post(
        reverse("billing:reversals"), {"office": bsw.pk, "reversal": reversal.pk, "do": "approve"}
    )
    bill.refresh_from_db()
    assert bill.paid == D("0.00")


def test_who_may_see_the_cashiers_pages(client, bsw, other_office, issued, reception):
    client.force_login(reception)
    assert client.get(reverse("billing:home")).status_code == 403
    outsider = staff("other_cashier", Role.CASHIER, other_office)
    client.force_login(outsider)
    assert client.get(reverse("billing:statement", args=[issued["3-1202"].pk])).status_code == 404
