"""The dashboard's figures against a hand-made November, an empty period and an idle office;
the company-wide view, drill-down, bad input and access."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from estate.accounts.roles import Role
from estate.frontdesk.models import CallRecord
from estate.reports.dashboard import dashboard, total
from estate.reports.periods import Period, PeriodError, PeriodKind
from estate.timerules.models import Clock
from tests.factories import staff
from tests.figures_fixtures import NOVEMBER, NOW, at, complaint, dispatch


def figures_of(office, period, when=NOW):
    with time_machine.travel(at(when), tick=False):
        return dashboard([office], period, today=at(when).date())[0].figures


def test_november_equals_the_hand_count(november):
    figures = figures_of(november, NOVEMBER)
    calls = figures["three_rings"]
    assert (calls.part, calls.whole, calls.value, calls.met) == (2, 4, Decimal("50.0"), False)
    dispatched = figures["complaint_dispatch"]
    assert (dispatched.part, dispatched.whole, dispatched.value) == (1, 2, Decimal("50.0"))
    assert dispatched.met is False
    assert (figures["on_scene"].value, figures["on_scene"].met) == (None, None)
    # Only the sweep on 3 November saw a same-day reply due (2 November's complaint, unanswered);
    # the others are still running until a sweep or an answer ends them.
    reply = figures["same_day_reply"]
    assert (reply.part, reply.whole, reply.met) == (0, 1, False)
    rate, degree = figures["satisfaction_rate"], figures["satisfaction_degree"]
    assert (rate.part, rate.whole, rate.value, rate.met) == (1, 2, Decimal("50.0"), False)
    # Degree: scores 5 and 2 -> ((5-1) + (2-1)) / (4 * 2) = 5 / 8.
    assert (degree.part, degree.whole, degree.value) == (5, 8, Decimal("62.5"))
    households = figures["survey_households"]
    # The repairs had no household; the month is not over, so 0 of 20 is "not yet", not missed.
    assert (households.part, households.goal, households.met) == (0, 20, None)
    notices = figures["common_issue_notices"]
    assert (notices.part, notices.whole, notices.met) == (1, 2, False)
    # 18 working days before the 26th at 9 h (8:30-17:30), the 2nd covered but for 12-13,
    # and the 26th from 8:30 to 10:00: 17 * 9 + 1 + 1.5 = 155.5 hours.
    assert figures["unstaffed_hours"].value == Decimal("155.5")
    assert figures["unstaffed_hours"].met is False
    activity, collection = figures["quarterly_activity"], figures["collection_rate"]
    assert (activity.part, activity.whole, activity.met) == (0, 1, None)  # Q4 is still running
    assert (collection.value, collection.met) == (None, None)


def test_a_day_a_quiet_sunday_and_an_idle_office(november, other_office):
    day = figures_of(november, Period.day_of(date(2026, 11, 5)))
    assert (day["three_rings"].part, day["three_rings"].whole) == (2, 2)
    assert "survey_households" not in day  # a monthly target has nothing to say about one day
    sunday = figures_of(november, Period.day_of(date(2026, 11, 1)))
    assert sunday["unstaffed_hours"].value == Decimal("0.0")
    assert all(f.met is not False for f in sunday.values())
    idle = figures_of(other_office, Period.day_of(date(2026, 11, 1)))
    assert all(f.part == 0 and f.met in (None, True) for f in idle.values())


def test_totals_add_counts_not_rates(november, other_office):
    CallRecord.objects.create(
        office=other_office, call_id="x", rang_at=at("2026-11-05 09:00"), ring_seconds=5
    )
    with time_machine.travel(at(NOW), tick=False):
        rows = dashboard([november, other_office], NOVEMBER, today=date(2026, 11, 26))
    together = total(rows).figures["three_rings"]
    # 2 of 4 and 1 of 1 make 3 of 5 = 60 %, not the mean of 50 % and 100 %.
    assert (together.part, together.whole, together.value) == (3, 5, Decimal("60.0"))
    assert total(rows).figures["survey_households"].goal == 40


def test_a_rate_just_under_the_target_is_missed_although_it_rounds_up(bsw):
    from estate.reports.measures import BY_KEY, Figure

    figure = Figure(BY_KEY["collection_rate"], Decimal("98995"), Decimal("100000"))
    assert (figure.value, figure.met) == (Decimal("99.0"), False)


def test_periods_are_read_and_bad_ones_named():
    today = date(2026, 11, 26)
    assert Period.parse("2026-11-05", today=today) == Period.day_of(date(2026, 11, 5))
    assert Period.parse("2026-9", today=today).last == date(2026, 9, 30)
    quarter = Period.parse("2026Q4", today=today)
    assert (quarter.kind, quarter.first, quarter.last) == (
        PeriodKind.QUARTER,
        date(2026, 10, 1),
        date(2026, 12, 31),
    )
    assert [str(p) for p in Period.month_of(date(2026, 2, 1)).earlier(3)] == [
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    with translation.override("en"):
        for bad in ("2026-13", "2026-02-30", "yesterday", "2026Q5"):
            with pytest.raises(PeriodError, match="is not a period"):
                Period.parse(bad, today=today)
        with pytest.raises(PeriodError, match="has not begun"):
            Period.parse("2026-12", today=today)


def test_the_head_sees_the_dashboard_and_drills_into_a_missed_rule(client, november, head):
    client.force_login(head)
    with time_machine.travel(at(NOW), tick=False):
        page = client.get(reverse("reports:dashboard"), {"period": "2026-11"})
        drill = client.get(
            reverse("reports:drill", args=["complaint_dispatch"]), {"period": "2026-11"}
        )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-measure="complaint_dispatch" class="table-danger"' in html
    assert 'data-url="/reports/trend/?period=2026-11&amp;office=' in html
    assert 'data-testid="open-matters"' in html
    rows = drill.content.decode()
    late = Clock.objects.get(rule="complaint_dispatch", state="breached").work_order
    body = rows[rows.index("<tbody>") :]
    first, second = body.split("</tr>")[:2]
    assert late.number in first
    assert "data-missed" in first
    assert "BSW-20261102" in second
    assert "data-missed" not in second


def test_a_reason_for_a_miss_is_kept_and_goes_into_the_monthly_report(client, november, head):
    import io

    from openpyxl import load_workbook

    clock = Clock.objects.get(rule="complaint_dispatch", state="breached")
    client.force_login(head)
    response = client.post(
        reverse("reports:missed_reason", args=[clock.pk]),
        {"reason": "接待員處理急症，晚了十分鐘", "period": "2026-11"},
    )
    assert response.status_code == 302
    assert "complaint_dispatch" in response["Location"]
    clock.refresh_from_db()
    assert (clock.missed_reason, clock.missed_reason_by) == ("接待員處理急症，晚了十分鐘", head)
    with time_machine.travel(at(NOW), tick=False):
        pdf = client.get(reverse("reports:monthly"), {"period": "2026-11"})
        sheet = client.get(reverse("reports:monthly"), {"period": "2026-11", "format": "xlsx"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert b"FontFile2" in pdf.content  # the Chinese font is embedded
    book = load_workbook(io.BytesIO(sheet.content))
    # Figures, misses, long-running matters, residents' items, and planned work: by unit, by
    # plan, the equipment that keeps breaking, inspections due.
    assert len(book.sheetnames) == 8
    breaches = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
    assert any("接待員處理急症，晚了十分鐘" in str(cell) for row in breaches for cell in row)
    figures = {
        row[1]: row for row in ([c.value for c in r] for r in book.worksheets[0].iter_rows())
    }
    assert any(row[2] == "50.0%" and row[3] == "2 / 4" for row in figures.values())


def test_bad_input_gets_clear_messages(client, bsw, other_office, head, reception):
    client.force_login(head)
    with time_machine.travel(at(NOW), tick=False):
        future = client.get(reverse("reports:dashboard"), {"period": "2027-01"})
        malformed = client.get(reverse("reports:dashboard"), {"period": "2026-13-01"})
        hidden = client.get(reverse("reports:dashboard"), {"office": other_office.pk})
        nonsense = client.get(reverse("reports:dashboard"), {"office": "abc"})
        unknown = client.get(reverse("reports:drill", args=["nothing"]))
        weekly = client.get(reverse("reports:monthly"), {"period": "2026Q4"})
    assert future.status_code == 400
    assert "尚未開始" in future.content.decode()  # zh-Hant, the default
    assert malformed.status_code == 400
    assert "不是有效期間" in malformed.content.decode()
    assert hidden.status_code == 403
    assert 'data-testid="refused"' in hidden.content.decode()
    assert nonsense.status_code == 400
    assert unknown.status_code == 404
    assert weekly.status_code == 400
    assert "月報須選擇月份" in weekly.content.decode()
    client.force_login(reception)
    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_leadership_compares_the_offices(client, november, other_office, leader):
    client.force_login(leader)
    with time_machine.travel(at(NOW), tick=False):
        page = client.get(reverse("reports:company"), {"period": "2026-11"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "碧水灣管理處" in html
    assert "翠湖管理處" in html
    assert "50.0% <span" in html
    assert "(2 / 4)" in html


def test_other_roles_cannot_give_reasons(client, november, other_office):
    outsider = staff("outsider", Role.HEAD, other_office)
    clock = Clock.objects.get(rule="complaint_dispatch", state="breached")
    client.force_login(outsider)
    response = client.post(reverse("reports:missed_reason", args=[clock.pk]), {"reason": "x"})
    assert response.status_code == 404


def test_the_trend_shows_six_months_with_the_target(client, november, head, other_office):
    client.force_login(head)
    with time_machine.travel(at(NOW), tick=False):
        data = client.get(reverse("reports:trend"), {"period": "2026-11"}).json()
        hidden = client.get(reverse("reports:trend"), {"office": other_office.pk})
        future = client.get(reverse("reports:trend"), {"period": "2027-03"})
    assert data["periods"] == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    series = {s["key"]: s for s in data["series"]}
    assert series["complaint_dispatch"]["values"] == [None, None, None, None, None, 50.0]
    assert series["complaint_dispatch"]["target"] == 100.0
    assert series["three_rings"]["values"][-2:] == [100.0, 50.0]  # October's one call was quick
    assert "on_scene" not in series  # never anything to count: no line
    assert hidden.status_code == 403
    assert future.status_code == 400


def test_a_rule_met_late_before_the_sweep_noticed_is_still_missed(
    bsw, reception, repair_team, head
):
    order = complaint(bsw, reception, "2026-11-02 10:00")
    # No sweep ran in between.
    dispatch(order, repair_team, reception, "2026-11-02 10:15", assignee=head)
    clock = Clock.objects.get(work_order=order, rule="complaint_dispatch")
    assert (clock.state, clock.breached_at, clock.met_at) == (
        "breached",
        at("2026-11-02 10:10"),
        at("2026-11-02 10:15"),
    )
    figure = figures_of(bsw, NOVEMBER)["complaint_dispatch"]
    assert (figure.part, figure.whole, figure.met) == (0, 1, False)


def test_odd_input_is_refused_plainly(client, bsw, head):
    client.force_login(head)
    with time_machine.travel(at(NOW), tick=False):
        for office in ("²", "9" * 5000, "-1", "0"):
            response = client.get(reverse("reports:dashboard"), {"office": office})
            assert response.status_code in (400, 403), office
        for period in ("0001-01", "0001-01-01", "0001Q1", "x" * 5000):
            response = client.get(reverse("reports:trend"), {"period": period})
            assert response.status_code == 400, period
            assert "error" in response.json()


def test_a_degree_says_how_many_answered(november):
    from estate.reports.wording import counts_text

    with translation.override("en"):
        assert counts_text(figures_of(november, NOVEMBER)["satisfaction_degree"]) == "2 answers"


def test_quick_periods_name_today_this_and_last_month_and_the_quarter():
    from estate.reports.periods import quick_periods

    assert [str(p) for _label, p in quick_periods(date(2026, 1, 15))] == [
        "2026-01-15",
        "2026-01",
        "2025-12",
        "2026Q1",
    ]


def test_the_overview_tells_the_head_how_many_targets_are_missed(client, november, head, worker):
    client.force_login(head)
    with time_machine.travel(at(NOW), tick=False):
        html = client.get(reverse("core:home")).content.decode()
    # November so far: calls, window hours, complaint dispatch, same-day reply (the complaints
    # swept on the 3rd had no reply), satisfaction rate and degree, common issues.
    assert 'data-testid="missed-targets"' in html
    assert "本月 7 項指標未達標" in html
    client.force_login(worker)
    assert 'data-testid="missed-targets"' not in client.get(reverse("core:home")).content.decode()


def test_the_company_view_costs_the_queries_of_one_office(november, other_office):
    """Each source is one grouped query whatever the number of offices."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(at(NOW), tick=False):
        with CaptureQueriesContext(connection) as one:
            dashboard([november], NOVEMBER, today=date(2026, 11, 26))
        with CaptureQueriesContext(connection) as two:
            dashboard([november, other_office], NOVEMBER, today=date(2026, 11, 26))
    per_office = len(two) - len(one)
    # One query a source (the messages to requesters are two; planned tasks, patrols and
    # inspections one each).
    assert len(one) <= 14
    assert per_office == 0


def test_the_dashboard_page_stays_within_its_query_budget(
    client, november, head, django_assert_max_num_queries
):
    client.force_login(head)
    with (
        time_machine.travel(at(NOW), tick=False),
        django_assert_max_num_queries(27),
    ):  # planned work: 4
        page = client.get(reverse("reports:dashboard"), {"period": "2026-11"})
    assert 'data-testid="coming-gaps"' in page.content.decode()


def test_the_figures_api_gives_the_same_numbers_with_the_same_access(
    api, november, other_office, head, leader
):
    api.force_authenticate(head)
    with time_machine.travel(at(NOW), tick=False):
        data = api.get(reverse("api-figures"), {"period": "2026-11"}).json()
        hidden = api.get(reverse("api-figures"), {"office": other_office.pk})
        odd = api.get(reverse("api-figures"), {"office": "x", "period": "2026-13"})
    assert [row["office"] for row in data["offices"]] == ["BSW"]
    calls = next(f for f in data["offices"][0]["figures"] if f["measure"] == "three_rings")
    assert calls == {
        "measure": "three_rings",
        "label": calls["label"],
        "requirement": "R-A1.1",
        "value": "50.0",
        "part": "2",
        "whole": "4",
        "target": "100",
        "met": False,
    }
    assert hidden.status_code == 404
    assert odd.status_code == 400
    api.force_authenticate(leader)
    with time_machine.travel(at(NOW), tick=False):
        both = api.get(reverse("api-figures"), {"period": "2026-11"}).json()
    assert {row["office"] for row in both["offices"]} == {"BSW", "CH"}
    assert both["total"]["office"] is None


def test_several_periods_at_once_equal_each_period_alone(november, other_office):
    """The trend asks for six periods in one go; each must equal its own dashboard."""
    from estate.reports.dashboard import dashboards

    def flat(rows):
        return [
            (row.office.pk, key, f.part, f.whole, f.goal, f.met)
            for row in rows
            for key, f in sorted(row.figures.items())
        ]

    offices = [november, other_office]
    with time_machine.travel(at(NOW), tick=False):
        for periods in (
            NOVEMBER.earlier(6),
            Period.day_of(date(2026, 11, 6)).earlier(7),
            Period.quarter_of(date(2026, 11, 1)).earlier(3),
        ):
            together = dashboards(offices, periods, today=date(2026, 11, 26))
            alone = [dashboard(offices, p, today=date(2026, 11, 26)) for p in periods]
            assert [flat(rows) for rows in together] == [flat(rows) for rows in alone]


def test_a_long_drill_down_comes_in_pages(client, bsw, head):
    from estate.reports.drill import LIMIT

    CallRecord.objects.bulk_create(
        CallRecord(office=bsw, call_id=f"p{n}", rang_at=at("2026-11-05 09:00"), ring_seconds=n % 30)
        for n in range(LIMIT + 10)
    )
    client.force_login(head)
    with time_machine.travel(at(NOW), tick=False):
        first = client.get(reverse("reports:drill", args=["three_rings"]), {"period": "2026-11"})
        second = client.get(
            reverse("reports:drill", args=["three_rings"]), {"period": "2026-11", "page": "2"}
        )
        odd = client.get(
            reverse("reports:drill", args=["three_rings"]), {"period": "2026-11", "page": "x"}
        )
    rows = [page.content.decode().count("<tr>") - 1 for page in (first, second)]  # less the header
    assert rows == [LIMIT, 10]
    assert 'data-testid="drill-pages"' in first.content.decode()
    assert odd.status_code == 200  # a page that is not a number is the first page


def test_the_quarters_bills_behind_the_collection_rate(client, bsw, issued, cashier, head):
    """Billed 1,630.50 + 1,443.00 + 1,040.25 = 4,113.75; 3-1202 paid in full on 20 December
    and 3-1201 630.50 of its 1,630.50: collected 2,073.50 of 4,113.75 = 50.4 %, judged at
    the quarter's end (in January), missed. The bills come most owed first: 3-S01 (1,040.25,
    nothing paid), 3-1201 (1,000.00), then 3-1202 (paid)."""
    from estate.billing import payments

    for when, unit, amount in (
        ("2026-12-20 10:00", "3-1202", "1443.00"),
        ("2026-12-22 10:00", "3-1201", "630.50"),
    ):
        with time_machine.travel(at(when), tick=False):
            payments.receive_payment(
                issued[unit], amount=Decimal(amount), method="cash", by=cashier
            )
    quarter = Period.quarter_of(date(2026, 10, 1))
    figure = figures_of(bsw, quarter, when="2027-01-05 10:00")["collection_rate"]
    assert (figure.part, figure.whole, figure.value, figure.met) == (
        Decimal("2073.50"),
        Decimal("4113.75"),
        Decimal("50.4"),
        False,
    )
    with time_machine.travel(at("2027-01-05 10:00"), tick=False):
        client.force_login(head)  # sessions expire: sign in on the day of the visit
        page = client.get(reverse("reports:drill", args=["collection_rate"]), {"period": "2026Q4"})
    body = page.content.decode()
    assert page.status_code == 200
    rows = body[body.index("<tbody>") :].split("</tr>")
    assert issued["3-S01"].number in rows[0]
    assert issued["3-1201"].number in rows[1]
    assert "1,000.00" in rows[1]  # owed: 1,630.50 - 630.50
    assert issued["3-1202"].number in rows[2]
    assert 'data-missed="1"' not in rows[2]  # paid in full


def test_every_figure_opens_the_records_behind_it(client, november, head):
    from estate.reports.measures import MEASURES

    client.force_login(head)
    pages = {}
    with time_machine.travel(at(NOW), tick=False):
        for measure in MEASURES:
            url = reverse("reports:drill", args=[measure.key])
            pages[measure.key] = client.get(url, {"period": "2026-11"})
    assert {key: page.status_code for key, page in pages.items()} == dict.fromkeys(pages, 200)

    def first_row(key):
        body = pages[key].content.decode()
        return body[body.index("<tbody>") :].split("</tr>")[0]

    assert "電梯" in first_row("common_issue_notices")  # due on the 20th, never answered
    assert 'data-missed="1"' in first_row("common_issue_notices")
    assert ">2\n" in first_row("satisfaction_rate")  # the visit scored 2 comes first
    assert "2026-11-02" in first_row("unstaffed_hours")  # the lunch hour nobody covered
    assert "12:00" in first_row("unstaffed_hours")
    assert "16" in first_row("three_rings")  # the slow call (16 s) before the quick ones
