"""Billing pages that tell the truth (issue #20, item 5): the run form explains the quarter and
offers the next one, with no error before input; statements are due a term after the issue day
(per office, 30 days unless set) and a pay-by day in the past is refused; the long lists say how
many rows they have, page and search by unit, in natural order; money keeps its two places and
its thousands separators on every database."""

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from estate.accounts.roles import Role
from estate.billing import payments, runs
from estate.billing.models import Meter, MeterReading, Statement
from estate.core.money import from_db
from estate.core.periods import Quarter
from estate.properties.actions import set_bill_due_days
from estate.properties.choices import HouseholdKind
from estate.properties.models import Building, Household, Office, Resident, Site, Unit
from tests.billing_fixtures import Q4, D, read
from tests.factories import staff

# 2026-12-15 23:30 UTC is already 16 December in Shanghai: the office's date is the issue day.
LATE_EVENING_UTC = datetime(2026, 12, 15, 23, 30, tzinfo=UTC)
ISSUE_DAY = datetime(2026, 12, 16).date()


@pytest.fixture
def signed_in_cashier(client, cashier):
    client.force_login(cashier)
    return client


def in_order(text, words):
    positions = [text.index(word) for word in words]
    return positions == sorted(positions)


# The run form ----------------------------------------------------------------------------------


def test_the_run_form_opens_without_errors_and_offers_the_next_quarter(
    signed_in_cashier, bsw, fees, cashier
):
    client = signed_in_cashier
    opened = client.get(reverse("billing:run"), {"office": bsw.pk})
    body = opened.content.decode()
    assert opened.status_code == 200
    assert "invalid-feedback" not in body
    assert "run-problems" not in body
    assert "2026Q4 即 2026 年 10 月至 12 月" in body  # the format, explained
    assert f'value="{Quarter.of(timezone.localdate())}"' in body  # nothing issued, nothing read

    read(fees["meter"], "1000.00", "1500.00")  # 2026Q3's readings: 2026Q4 can be issued
    before = client.get(reverse("billing:run"), {"office": bsw.pk}).content.decode()
    assert 'value="2026Q4"' in before
    runs.issue(bsw, Q4, by=cashier)
    after = client.get(reverse("billing:run"), {"office": bsw.pk}).content.decode()
    assert 'value="2027Q1"' in after  # the quarter after the latest one issued
    assert "下一個待出單季度：2027Q1。" in after

    refused = client.post(reverse("billing:run"), {"office": bsw.pk, "quarter": "2026Q5"})
    assert refused.status_code == 400
    assert 'data-field="quarter"' in refused.content.decode()
    empty = client.post(reverse("billing:run"), {"office": bsw.pk, "quarter": ""})
    assert empty.status_code == 400
    assert 'data-field="quarter"' in empty.content.decode()


def test_the_next_quarter_of_a_building_counts_office_runs_and_its_own(bsw, fees, cashier):
    read(fees["meter"], "1000.00", "1500.00")
    three = Building.objects.get(office=bsw, code="3")
    other = Building.objects.create(office=bsw, site=three.site, code="5", name="5棟")
    runs.issue(bsw, Q4, by=cashier, building=three)
    assert runs.next_quarter(bsw, three) == Quarter(2027, 1)
    assert runs.next_quarter(bsw, other) == Q4  # after the readings of 2026Q3
    assert runs.next_quarter(bsw) == Quarter(2027, 1)


# The due date ----------------------------------------------------------------------------------


def test_statements_are_due_30_days_after_the_offices_issue_day(bsw, fees, cashier):
    read(fees["meter"], "1000.00", "1500.00")
    assert bsw.bill_due_days == 30
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        assert runs.plan(bsw, Q4).due_on == ISSUE_DAY + timedelta(days=30)
        runs.issue(bsw, Q4, by=cashier)
    assert set(Statement.objects.values_list("due_on", flat=True)) == {datetime(2027, 1, 15).date()}


def test_the_term_is_set_per_office(bsw, other_office, fees, cashier):
    read(fees["meter"], "1000.00", "1500.00")
    set_bill_due_days(office=bsw, days=15, by=cashier)
    assert Office.objects.get(pk=bsw.pk).bill_due_days == 15
    assert Office.objects.get(pk=other_office.pk).bill_due_days == 30
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        runs.issue(bsw, Q4, by=cashier)
    assert set(Statement.objects.values_list("due_on", flat=True)) == {
        ISSUE_DAY + timedelta(days=15)
    }
    with pytest.raises(ValidationError, match="365") as refused:
        set_bill_due_days(office=bsw, days=400, by=cashier)
    assert "bill_due_days" in refused.value.message_dict


def test_the_head_sets_the_term_on_a_page_and_the_cashier_may_not(client, bsw, cashier, head):
    client.force_login(head)
    url = reverse("billing:term")
    assert client.get(url, {"office": bsw.pk}).status_code == 200
    refused = client.post(url, {"office": bsw.pk, "bill_due_days": "0"})
    assert refused.status_code == 400
    assert 'data-field="bill_due_days"' in refused.content.decode()
    saved = client.post(url, {"office": bsw.pk, "bill_due_days": "20"})
    assert saved.status_code == 302
    assert Office.objects.get(pk=bsw.pk).bill_due_days == 20
    home = client.get(reverse("billing:home"), {"office": bsw.pk}).content.decode()
    assert 'data-testid="bill-term"' in home
    client.force_login(cashier)
    assert client.post(url, {"office": bsw.pk, "bill_due_days": "5"}).status_code == 403
    assert 'data-testid="bill-term"' not in (
        client.get(reverse("billing:home"), {"office": bsw.pk}).content.decode()
    )


def test_a_pay_by_day_may_be_named_but_never_before_the_issue_day(signed_in_cashier, bsw, fees):
    client = signed_in_cashier
    read(fees["meter"], "1000.00", "1500.00")
    today = runs.issue_day(bsw)
    yesterday, later = today - timedelta(days=1), today + timedelta(days=10)
    form = {"office": bsw.pk, "quarter": "2026Q4"}
    preview = client.get(reverse("billing:run"), {**form, "due_on": yesterday.isoformat()})
    assert preview.status_code == 400
    assert 'data-field="due_on"' in preview.content.decode()
    refused = client.post(reverse("billing:run"), {**form, "due_on": yesterday.isoformat()})
    assert refused.status_code == 400
    assert 'data-field="due_on"' in refused.content.decode()
    assert not Statement.objects.exists()  # nothing half-saved

    shown = client.get(reverse("billing:run"), {**form, "due_on": later.isoformat()})
    assert f"繳費期限 {later.isoformat()}" in shown.content.decode()
    assert (
        client.post(reverse("billing:run"), {**form, "due_on": later.isoformat()}).status_code
        == 302
    )
    assert set(Statement.objects.values_list("due_on", flat=True)) == {later}


def test_the_api_preview_says_the_due_day_and_refuses_a_past_one(api, bsw, fees, cashier):
    read(fees["meter"], "1000.00", "1500.00")
    api.force_authenticate(user=cashier)
    today = runs.issue_day(bsw)
    preview = api.post("/api/v1/bill-runs/preview/", {"office": bsw.pk, "quarter": "2026Q4"})
    assert preview.json()["due_on"] == (today + timedelta(days=30)).isoformat()
    past = (today - timedelta(days=3)).isoformat()
    refused = api.post(
        "/api/v1/bill-runs/issue/", {"office": bsw.pk, "quarter": "2026Q4", "due_on": past}
    )
    assert refused.status_code == 400
    assert "due_on" in refused.json()
    assert not Statement.objects.exists()


def test_the_demo_quarter_is_not_due_before_it_is_issued(db):
    call_command("seed_demo", stdout=io.StringIO())
    bsw = Office.objects.get(code="BSW")
    cashier = staff("truth_cashier", Role.CASHIER, bsw)
    quarter = runs.next_quarter(bsw)
    assert quarter == Q4  # the demo's readings are of 2026Q3: the form offers its one run
    runs.issue(bsw, quarter, by=cashier)
    today = runs.issue_day(bsw)
    assert set(Statement.objects.filter(office=bsw).values_list("due_on", flat=True)) == {
        today + timedelta(days=30)
    }


# Long lists ------------------------------------------------------------------------------------

BUILDINGS = ("1", "2", "10", "11")
MORE = 1814  # with building 3's three households: 1,817 statements


@pytest.fixture
def many(bsw, fees, cashier):
    """1,817 households in buildings 1, 2, 3, 10 and 11 (entered out of order), billed for 2026Q4."""
    site = Site.objects.filter(office=bsw).first()
    buildings = {
        code: Building.objects.create(office=bsw, site=site, code=code, name=f"{code}棟")
        for code in reversed(BUILDINGS)
    }
    units = Unit.objects.bulk_create(
        Unit(
            office=bsw,
            building=buildings[BUILDINGS[i % 4]],
            number=str(101 + i // 4),
            floor=1,
            area=D("80.00"),
        )
        for i in range(MORE)
    )
    households = Household.objects.bulk_create(
        Household(office=bsw, unit=unit, kind=HouseholdKind.OWNER) for unit in units
    )
    Resident.objects.bulk_create(
        Resident(
            office=bsw, household=h, name=f"住戶{h.pk}", phone=f"139{h.pk:08d}", is_primary=True
        )
        for h in households
    )
    read(fees["meter"], "1000.00", "1500.00")
    runs.issue(bsw, Q4, by=cashier)
    assert Statement.objects.count() == 1817
    return Statement.objects.get(unit__address="3-1202").run


def test_the_delivery_checklist_counts_pages_and_finds_a_unit(
    signed_in_cashier, many, django_assert_max_num_queries
):
    client = signed_in_cashier
    url = reverse("billing:run_detail", args=[many.pk])
    client.get(url)
    with django_assert_max_num_queries(12):  # a page costs the same however many rows (9 now)
        first = client.get(url).content.decode()
    assert "第 1–100 條，共 1,817 條" in first
    assert first.count('name="statement"') == 100
    assert "page=19" in first  # the last page is linked
    assert in_order(first, [">1棟<", ">2棟<", ">3棟<", ">10棟<", ">11棟<"])  # buildings
    assert in_order(first, ['"statement-1-101"', '"statement-1-102"', '"statement-1-110"'])
    second = client.get(url, {"page": 2}).content.decode()
    assert "第 101–200 條，共 1,817 條" in second
    last = client.get(url, {"page": 19}).content.decode()
    assert "第 1,801–1,817 條，共 1,817 條" in last
    found = client.get(url, {"unit": "10-150"}).content.decode()
    assert "第 1–1 條，共 1 條" in found
    assert 'data-testid="statement-10-150"' in found
    ten = Building.objects.get(code="10")
    kept = client.get(url, {"building": ten.pk, "page": 2}).content.decode()
    assert f"building={ten.pk}&amp;page=3" in kept  # page links keep the filter
    assert "第 101–200 條，共 453 條" in kept


def test_the_arrears_list_counts_pages_and_finds_a_unit(
    signed_in_cashier, bsw, many, django_assert_max_num_queries
):
    client = signed_in_cashier
    url = reverse("billing:arrears")
    client.get(url, {"office": bsw.pk})
    with django_assert_max_num_queries(12):  # 10 now
        first = client.get(url, {"office": bsw.pk}).content.decode()
    assert "第 1–100 條，共 1,817 條" in first
    assert first.count("BSW-2026Q4-") == 100
    assert in_order(first, [">1棟<", ">2棟<", ">3棟<", ">10棟<", ">11棟<"])  # the building select
    second = client.get(url, {"office": bsw.pk, "page": 2}).content.decode()
    assert "第 101–200 條，共 1,817 條" in second
    assert f"office={bsw.pk}&amp;page=3" in second
    found = client.get(url, {"office": bsw.pk, "unit": "2-333"}).content.decode()
    assert "第 1–1 條，共 1 條" in found
    assert "BSW-2026Q4-2-333<" in found


def test_the_arrears_api_is_paged(api, bsw, many, cashier):
    api.force_authenticate(user=cashier)
    first = api.get("/api/v1/arrears/", {"office": bsw.pk}).json()
    assert (first["count"], first["page"], first["pages"], first["has_next"]) == (1817, 1, 19, True)
    assert len(first["statements"]) == 100
    last = api.get("/api/v1/arrears/", {"office": bsw.pk, "page": 19}).json()
    assert (len(last["statements"]), last["has_next"]) == (17, False)
    found = api.get("/api/v1/arrears/", {"office": bsw.pk, "unit": "11-101"}).json()
    assert [s["unit"] for s in found["statements"]] == ["11-101"]
    assert api.get("/api/v1/arrears/", {"office": bsw.pk, "page": "x"}).status_code == 400


def test_meter_readings_count_page_and_sort_by_building_naturally(signed_in_cashier, bsw, fees):
    client = signed_in_cashier
    site = Site.objects.filter(office=bsw).first()
    for code in ("10", "2"):
        building = Building.objects.create(office=bsw, site=site, code=code, name=f"{code}棟")
        for n in range(60):
            unit = Unit.objects.create(
                office=bsw, building=building, number=str(101 + n), area=D("80.00")
            )
            meter = Meter.objects.create(
                office=bsw, name=f"{code}棟{101 + n}分錶", fee_item=fees["water"], unit=unit,
                parent=fees["meter"],
            )  # fmt: skip
            MeterReading.objects.create(
                office=bsw, meter=meter, quarter="2026Q3", previous=D("1.00"),
                current=D("1234.50"), read_on=Q4.previous.last_day,
            )  # fmt: skip
    url = reverse("billing:readings")
    first = client.get(url, {"office": bsw.pk}).content.decode()
    assert "第 1–100 條，共 120 條" in first
    assert in_order(first, ["2棟101分錶", "2棟160分錶", "10棟101分錶"])
    assert "1,233.50" in first  # usage, with its separator
    second = client.get(url, {"office": bsw.pk, "page": 2}).content.decode()
    assert "第 101–120 條，共 120 條" in second
    assert "10棟160分錶" in second
    found = client.get(url, {"office": bsw.pk, "unit": "10-105"}).content.decode()
    assert "第 1–1 條，共 1 條" in found
    assert "10棟105分錶" in found


# Money -----------------------------------------------------------------------------------------


def test_from_db_makes_any_sum_money_with_two_places():
    assert str(from_db(2734.5)) == "2734.50"
    assert str(from_db(Decimal("2734.5"))) == "2734.50"
    assert str(from_db(0.1 + 0.2)) == "0.30"
    assert str(from_db(None)) == "0.00"
    assert str(from_db(7)) == "7.00"
    assert str(from_db(Decimal("1.005"))) == "1.01"  # half up
    with pytest.raises(TypeError):
        from_db(True)


def test_collection_keeps_two_places_in_the_api_and_separators_on_the_page(
    api, client, bsw, issued, cashier
):
    # 1,630.50 + 1,104.00 = 2,734.50 collected: a sum SQLite would hand back as 2734.5.
    payments.receive_payment(issued["3-1201"], amount=D("1630.50"), method="cash", by=cashier)
    payments.receive_payment(issued["3-1202"], amount=D("1104.00"), method="cash", by=cashier)
    api.force_authenticate(user=cashier)
    rows = api.get("/api/v1/collection/", {"office": bsw.pk, "quarter": "2026Q4"}).json()
    assert (rows[0]["billed"], rows[0]["collected"]) == ("4113.75", "2734.50")
    assert rows[1]["collected"] == "2734.50"  # building 3
    owed = api.get("/api/v1/arrears/", {"office": bsw.pk}).json()
    assert sum(Decimal(v) for v in owed["ageing"].values()) == D("1379.25")
    assert all(len(v.split(".")[1]) == 2 for v in owed["ageing"].values())
    client.force_login(cashier)
    home = client.get(reverse("billing:home"), {"office": bsw.pk, "quarter": "2026Q4"})
    assert ">2,734.50<" in home.content.decode()
    assert ">4,113.75<" in home.content.decode()
