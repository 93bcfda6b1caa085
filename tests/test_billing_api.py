"""Fees over the API: preview and issue, statements, payments with idempotency keys (409 on a
different body), reversals approved by the head, readings import errors by row, figures."""

from django.core.files.uploadedfile import SimpleUploadedFile

from estate.billing.models import Payment, Statement
from tests.billing_fixtures import D, read


def test_preview_issue_and_list_statements(api, bsw, fees, cashier):
    read(fees["meter"], "1000.00", "1500.00")
    api.force_authenticate(user=cashier)
    preview = api.post("/api/v1/bill-runs/preview/", {"office": bsw.pk, "quarter": "2026Q4"})
    assert preview.json()["total"] == "4113.75"
    assert preview.json()["statements"] == 3
    issued = api.post("/api/v1/bill-runs/issue/", {"office": bsw.pk, "quarter": "2026Q4"})
    assert issued.status_code == 201
    assert issued.json()["statements_issued"] == 3
    again = api.post("/api/v1/bill-runs/issue/", {"office": bsw.pk, "quarter": "2026Q4"})
    assert again.status_code == 409  # issued already: a conflict with what is, not bad input
    assert "2026Q4" in again.json()["detail"]
    bad = api.post("/api/v1/bill-runs/preview/", {"office": bsw.pk, "quarter": "Q4"})
    assert "quarter" in bad.json()
    listed = api.get("/api/v1/statements/", {"quarter": "2026Q4", "owed": "true"}).json()
    assert [s["unit"] for s in listed["results"]] == ["3-1201", "3-1202", "3-S01"]
    assert listed["results"][1]["lines"][0]["basis"].startswith("88.50 m²")


def test_payments_are_idempotent_by_key(api, issued, cashier):
    api.force_authenticate(user=cashier)
    url = f"/api/v1/statements/{issued['3-1202'].pk}/payments/"
    body = {"amount": "443.00", "method": "wechat", "reference": "WX123"}
    first = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    again = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    conflict = api.post(
        url, {**body, "amount": "500.00"}, format="json", HTTP_IDEMPOTENCY_KEY="abc"
    )
    assert conflict.status_code == 409
    too_much = api.post(url, {"amount": "9999.00", "method": "cash"}, format="json")
    assert too_much.status_code == 400
    assert "amount" in too_much.json()
    assert Payment.objects.count() == 1
    assert Statement.objects.get(pk=issued["3-1202"].pk).paid == D("443.00")


def test_a_refund_through_the_api_needs_the_head(api, issued, cashier, head):
    api.force_authenticate(user=cashier)
    paid = api.post(
        f"/api/v1/statements/{issued['3-1201'].pk}/payments/",
        {"amount": "1630.50", "method": "cash"},
        format="json",
    ).json()
    asked = api.post(
        f"/api/v1/payments/{paid['id']}/reversals/",
        {"kind": "refund", "amount": "30.50", "reason": "多收"},
        format="json",
    ).json()
    assert api.post(f"/api/v1/reversals/{asked['id']}/approve/").status_code == 403
    api.force_authenticate(user=head)
    assert api.post(f"/api/v1/reversals/{asked['id']}/approve/").json()["status"] == "approved"
    assert Statement.objects.get(pk=issued["3-1201"].pk).balance == D("30.50")


def test_readings_import_errors_come_back_by_row(api, bsw, fees, cashier):
    api.force_authenticate(user=cashier)
    sheet = "錶名,季度,上期讀數,本期讀數,抄錶日期\n3棟總水錶,2026Q3,1500,1400,2026-09-30\n"
    refused = api.post(
        "/api/v1/meter-readings/import/",
        {"office": bsw.pk, "file": SimpleUploadedFile("r.csv", sheet.encode())},
        format="multipart",
    )
    assert refused.status_code == 400
    (error,) = refused.json()["errors"]
    assert (error["row"], error["column"]) == (2, "本期讀數")


def test_collection_and_arrears(api, bsw, issued, cashier):
    api.force_authenticate(user=cashier)
    api.post(
        f"/api/v1/statements/{issued['3-1202'].pk}/payments/",
        {"amount": "1443.00", "method": "cash"},
        format="json",
    )
    rows = api.get("/api/v1/collection/", {"office": bsw.pk, "quarter": "2026Q4"}).json()
    assert (rows[0]["rate_by_amount"], rows[0]["rate_by_household"]) == ("35.08", "33.33")
    owed = api.get("/api/v1/arrears/", {"office": bsw.pk}).json()
    assert [s["unit"] for s in owed["statements"]] == ["3-1201", "3-S01"]


def test_other_offices_and_other_roles(api, bsw, other_office, issued, reception):
    api.force_authenticate(user=reception)
    denied = api.post(
        f"/api/v1/statements/{issued['3-1202'].pk}/payments/", {"amount": "1", "method": "cash"}
    )
    assert denied.status_code == 403
    assert (
        api.get("/api/v1/collection/", {"office": bsw.pk, "quarter": "2026Q4"}).status_code == 403
    )
