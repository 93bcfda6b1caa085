"""Values at the edges, found by fuzzing the API (tests/test_api_fuzz.py) and by hand: dates in
year 1 or 9999, NUL characters, numbers past what a column holds, text longer than its column.
Each is a 400 naming the parameter (a forged cursor a 404), never a 500, on SQLite and on
PostgreSQL alike."""

import base64

import pytest

from estate.core.periods import Quarter


@pytest.fixture
def as_head(api, api_world):
    api.force_authenticate(user=api_world.staff["head"])
    return api


@pytest.mark.parametrize(
    ("url", "field"),
    [("/api/v1/clocks/?due_before=9999-12-31T23:59:59-12:00", "due_before"),
     ("/api/v1/clocks/?due_before=0001-01-01T00:00:00%2B14:00", "due_before"),
     ("/api/v1/telephony/ring-rate/?office={office}&date=9999-12-31", "date"),
     ("/api/v1/telephony/ring-rate/?office={office}&date=0001-01-01", "date"),
     ("/api/v1/telephony/ring-rate/?office={office}&date=2026-11-26T10:00", "date"),
     ("/api/v1/visit-measures/?office={office}&month=9999-12", "month"),
     ("/api/v1/visit-measures/?office={office}&month=0001-01", "month"),
     ("/api/v1/collection/?office={office}&quarter=2026Q4&as_of=9999-12-31", "as_of"),
     ("/api/v1/collection/?office={office}&quarter=0001Q1", "quarter"),
     ("/api/v1/statements/?quarter=%00", "quarter"),
     ("/api/v1/articles/?q=%00", "q"),
     ("/api/v1/units/?office=99999999999999999999999", "office")],
)  # fmt: skip
def test_a_query_at_the_edge_is_400_naming_the_parameter(as_head, api_world, url, field):
    response = as_head.get(url.format(office=api_world.office.pk))
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]


def test_the_same_queries_within_the_years_answer(as_head, api_world):
    office = api_world.office.pk
    assert (
        as_head.get(f"/api/v1/telephony/ring-rate/?office={office}&date=2026-11-26").status_code
        == 200
    )
    assert as_head.get(f"/api/v1/visit-measures/?office={office}&month=2026-11").status_code == 200
    assert as_head.get("/api/v1/clocks/?due_before=2026-11-27T10:00:00%2B08:00").status_code == 200


def test_a_cursor_holding_nul_is_404(as_head, api_world):
    cursor = base64.b64encode(b"p=\x00x").decode()
    assert as_head.get("/api/v1/statements/", {"cursor": cursor}).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [({"quarter": "0001Q1"}, "quarter"), ({"quarter": "9999Q4"}, "quarter"),
     ({"quarter": "2026Q4", "building": "\x00"}, "building")],
)  # fmt: skip
def test_a_bill_run_preview_at_the_edge_is_400(as_head, api_world, body, field):
    response = as_head.post(
        "/api/v1/bill-runs/preview/", {"office": api_world.office.pk, **body}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, [field])


CALL = {"office": "BSW", "call_id": "c-1", "rang_at": "2026-11-26T10:00:00+08:00"}


@pytest.mark.parametrize(
    ("change", "field"),
    [({"ring_seconds": 10**30}, "ring_seconds"), ({"ring_seconds": 86_400}, "ring_seconds"),
     ({"rang_at": "0001-01-01T05:00:00"}, "rang_at"),
     ({"rang_at": "9999-12-31T23:59:59-12:00"}, "rang_at")],
)  # fmt: skip
def test_a_call_report_at_the_edge_is_400(api, api_world, change, field):
    api.force_authenticate(user=api_world.staff["reception"])
    response = api.post("/api/v1/telephony/calls/", {**CALL, **change}, format="json")
    assert (response.status_code, list(response.json())) == (400, [field])


@pytest.fixture
def statement_url(api, api_world, issued):
    api.force_authenticate(user=api_world.staff["cashier"])
    return f"/api/v1/statements/{issued['3-1201'].pk}"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"amount": "1.00", "method": "cash", "reference": "x" * 61}, "reference"),
     ({"amount": "1.00", "method": "x" * 21}, "method"),
     ({"amount": "123456789012.00", "method": "cash"}, "amount")],
)  # fmt: skip
def test_a_payment_past_its_columns_is_400(api, statement_url, body, field):
    response = api.post(f"{statement_url}/payments/", body, format="json")
    assert (response.status_code, list(response.json())) == (400, [field])


@pytest.mark.parametrize("key", ["k" * 81, "k\x00"], ids=["too-long", "nul"])
def test_an_idempotency_key_its_column_cannot_hold_is_400(api, statement_url, key):
    response = api.post(
        f"{statement_url}/payments/", {"amount": "1.00", "method": "cash"}, format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )  # fmt: skip
    assert (response.status_code, list(response.json())) == (400, ["Idempotency-Key"])


def test_an_adjustment_past_the_total_column_is_400(api, statement_url):
    response = api.post(
        f"{statement_url}/adjustments/", {"amount": "999999999999.99", "reason": "補收"},
        format="json",
    )  # fmt: skip
    assert (response.status_code, list(response.json())) == (400, ["amount"])


@pytest.mark.parametrize("text", ["1999Q4", "3000Q1", "0001Q1"])
def test_a_quarter_outside_the_desks_years_is_not_one(text):
    with pytest.raises(ValueError, match="not a quarter"):
        Quarter.parse(text)
    assert Quarter.parse("2026Q4").previous == Quarter(2026, 3)
