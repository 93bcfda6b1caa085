"""Planned work in the figures against a hand-made November (frozen at 26 November, 10:00):
tasks done on time, late and missed, by plan and by unit; inspections overdue and due within
30 days; the equipment that keeps breaking; the drill-downs list exactly what was counted; the
monthly report and the evaluation carry it; only VIEW_REPORTS, of one's own office, sees it."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from estate.accounts.roles import Role
from estate.equipment.models import Equipment
from estate.patrols.figures import coverage as patrol_coverage
from estate.patrols.models import CheckPoint, PatrolRoute, PointScan
from estate.planned.models import Plan, PlannedTask
from estate.reports import planned_drill, planned_work
from estate.reports.dashboard import dashboard
from estate.reports.evaluation import evaluate, table
from estate.reports.monthly import _parts, as_pdf, monthly_report
from estate.workorders import actions
from estate.workorders.models import WorkOrder
from tests.factories import ServiceUnitFactory, staff
from tests.figures_fixtures import NOVEMBER, NOW, at


def piece(office, code, kind, next_on=None, **fields):
    return Equipment.objects.create(
        office=office, code=code, name=f"{kind} {code}", kind=kind, next_inspection_on=next_on,
        **fields,
    )  # fmt: skip


def task(plan, due, *, hours=12, done=None, status=None, equipment=None):
    """A task of ``plan`` due at ``due`` (office time) with a window of ``hours``; done at
    ``done`` when given."""
    due_at = at(due)
    return PlannedTask.objects.create(
        office=plan.office, plan=plan, equipment=equipment, service_unit=plan.service_unit,
        due_at=due_at, window_ends_at=due_at + timedelta(hours=hours), opened_at=due_at,
        done_at=at(done) if done else None,
        status=status or ("done" if done else "open"),
    )  # fmt: skip


def fault(office, by, when, equipment, kind="repair"):
    with time_machine.travel(at(when), tick=False):
        order = actions.open_work_order(
            office=office, by=by, channel="desk", kind=kind, description="故障", location="機房"
        )  # fmt: skip
    WorkOrder.objects.filter(pk=order.pk).update(equipment=equipment)
    return order


@pytest.fixture
def planned(bsw, other_office, repair_team, reception):
    """Equipment: lift L1 (inspection due 20 Nov: overdue), pump P1 (10 Dec: due within 30 days),
    generator G1 (March: neither), fire system F1 (overdue but out of service), lift L2 (no date);
    another office's overdue lift.
    Tasks: the pump's checks on 2-5 Nov on time, late, missed, and missed but not swept yet, and
    one on the 26th still within its window; the lifts' service on 10 Nov on time (L1 and L2);
    the night patrol on 12 Nov on time and on 13 Nov missed; one in October; one of another
    office. Faults: L1 three repairs in November (and one in October), P1 one repair, one
    cancelled repair and one complaint."""
    security = ServiceUnitFactory(office=bsw, name="保安部")
    lift = piece(bsw, "L1", "lift", date(2026, 11, 20))
    pump = piece(bsw, "P1", "water_pump", date(2026, 12, 10))
    piece(bsw, "G1", "generator", date(2027, 3, 1))
    piece(bsw, "F1", "fire_system", date(2026, 11, 1), is_active=False)
    lift_two = piece(bsw, "L2", "lift")
    elsewhere = piece(other_office, "L9", "lift", date(2026, 10, 1))
    route = PatrolRoute.objects.create(office=bsw, name="夜間巡更", service_unit=security)
    common = {"office": bsw, "frequency": "daily", "starts_on": date(2026, 10, 1)}
    pump_plan = Plan.objects.create(
        name="水泵房巡檢", service_unit=repair_team, target="equipment", equipment=pump, **common
    )
    lift_plan = Plan.objects.create(
        name="電梯保養", service_unit=repair_team, target="equipment_kind", equipment_kind="lift",
        **common,
    )  # fmt: skip
    patrol = Plan.objects.create(
        name="夜間巡更", service_unit=security, target="route", route=route, **common
    )
    task(pump_plan, "2026-11-02 08:00", done="2026-11-02 10:00")  # on time
    task(pump_plan, "2026-11-03 08:00", done="2026-11-03 21:00")  # late
    task(pump_plan, "2026-11-04 08:00", status="missed")
    task(pump_plan, "2026-11-05 08:00")  # its window is over: missed, though not swept yet
    task(pump_plan, "2026-11-26 08:00")  # within its window until 20:00: not counted yet
    task(pump_plan, "2026-10-31 08:00", done="2026-10-31 09:00")  # October
    task(lift_plan, "2026-11-10 09:00", done="2026-11-10 15:00", equipment=lift)
    task(lift_plan, "2026-11-10 09:00", done="2026-11-10 21:00", equipment=lift_two)  # edge
    points = [
        CheckPoint.objects.create(office=bsw, route=route, position=n, name=name, code=f"CP-{n}")
        for n, name in enumerate(("正門", "地庫", "天台"), start=1)
    ]
    walked = task(patrol, "2026-11-12 22:00", hours=1, done="2026-11-12 22:50")
    cut_short = task(patrol, "2026-11-13 22:00", hours=1, status="missed")
    for patrol_task, scanned in ((walked, points), (cut_short, points[:1])):
        for point in scanned:
            PointScan.objects.create(
                office=bsw, task=patrol_task, point=point, by=reception, method="qr",
                scanned_at=patrol_task.due_at + timedelta(minutes=10 * point.position),
            )  # fmt: skip
    other_unit = ServiceUnitFactory(office=other_office, name="工程部")
    other_plan = Plan.objects.create(
        office=other_office, name="電梯", service_unit=other_unit, target="equipment",
        equipment=elsewhere, frequency="daily", starts_on=date(2026, 10, 1),
    )  # fmt: skip
    task(other_plan, "2026-11-02 08:00", status="missed")
    for day in ("03", "09", "17"):
        fault(bsw, reception, f"2026-11-{day} 09:00", lift)
    fault(bsw, reception, "2026-10-20 09:00", lift)
    fault(bsw, reception, "2026-11-04 09:00", pump, kind="emergency")
    cancelled = fault(bsw, reception, "2026-11-05 09:00", pump)
    WorkOrder.objects.filter(pk=cancelled.pk).update(status="cancelled")
    fault(bsw, reception, "2026-11-06 09:00", pump, kind="complaint")
    return {"security": security, "lift": lift, "pump": pump, "plans": (pump_plan, lift_plan)}


def figures_of(office, period=NOVEMBER):
    with time_machine.travel(at(NOW), tick=False):
        return dashboard([office], period, today=at(NOW).date())[0].figures


def test_on_time_counts_done_late_and_missed_and_waits_for_open_windows(bsw, planned):
    on_time = figures_of(bsw)["planned_on_time"]
    # Counted: the pump's 2nd-5th (1 on time), both lifts (on time: the 21:00 is the window's
    # last minute), both patrols (1 on time); not the 26th (its window runs), nor October.
    assert (on_time.part, on_time.whole, str(on_time.value), on_time.met) == (4, 8, "50.0", False)
    day = figures_of(bsw, NOVEMBER.day_of(date(2026, 11, 26)))["planned_on_time"]
    assert (day.whole, day.met) == (0, None)  # "nothing to count", not missed


def test_by_plan_and_by_unit(bsw, planned, repair_team):
    with time_machine.travel(at(NOW), tick=False):
        plans, units = planned_work.by_plan_and_unit(bsw, NOVEMBER)
    by_plan = {s.name: (s.due, s.on_time, s.late, s.missed) for s in plans}
    assert by_plan == {
        "水泵房巡檢": (5, 1, 1, 2),
        "電梯保養": (2, 2, 0, 0),
        "夜間巡更": (2, 1, 0, 1),
    }
    assert plans[0].name == "水泵房巡檢"  # the most missed and late first
    by_unit = {s.key: (s.due, s.on_time, s.late, s.missed) for s in units}
    assert by_unit == {repair_team.pk: (7, 3, 1, 2), planned["security"].pk: (2, 1, 0, 1)}


def test_inspections_overdue_and_due_within_30_days(bsw, other_office, planned):
    due = figures_of(bsw)["inspections_due"]
    # As of the 26th: L1 (20 Nov) is overdue; P1 (10 Dec) is due within 30 days; F1 is out of
    # service, G1 is in March, L2 has no date; the other office's lift is theirs.
    assert (due.part, due.aside, due.met) == (1, 1, False)
    # On 19 November L1 was not overdue yet, and both lifts' and the pump's were within 30 days.
    early = figures_of(bsw, NOVEMBER.day_of(date(2026, 11, 19)))["inspections_due"]
    assert (early.part, early.aside, early.met) == (0, 2, True)
    assert figures_of(other_office)["inspections_due"].part == 1


def test_faults_per_piece_top_list(bsw, planned):
    found = planned_work.faults(bsw, NOVEMBER)
    assert [(f.code, f.count) for f in found] == [("L1", 3), ("P1", 1)]


def test_patrol_coverage_is_the_patrols_count(bsw, planned):
    """Three points a night: all three scanned on the 12th, one on the 13th (4 of 6), as the
    patrols report counts them night by night."""
    coverage = figures_of(bsw)["patrol_coverage"]
    assert (coverage.part, coverage.whole) == (4, 6)
    with time_machine.travel(at(NOW), tick=False):
        nights = patrol_coverage(bsw, NOVEMBER.first, NOVEMBER.last)
    assert (nights.scanned, nights.expected, nights.missed) == (4, 6, 2)


def missed_cells(found):
    return sum(any(cell.missed for cell in row) for row in found.rows)


def test_drill_downs_list_exactly_what_was_counted(bsw, planned):
    figures = figures_of(bsw)
    with time_machine.travel(at(NOW), tick=False):
        tasks = planned_drill.drill("planned_on_time", bsw, NOVEMBER)
        inspections = planned_drill.drill("inspections_due", bsw, NOVEMBER)
        patrols = planned_drill.drill("patrol_coverage", bsw, NOVEMBER)
        lift = planned_drill.drill("equipment_faults", bsw, NOVEMBER, equipment=planned["lift"].pk)
        every = planned_drill.drill("equipment_faults", bsw, NOVEMBER)
    on_time = figures["planned_on_time"]
    assert (tasks.count, missed_cells(tasks)) == (on_time.whole, on_time.whole - on_time.part)
    assert [row[0].text for row in tasks.rows[:4]] == [
        "水泵房巡檢",
        "水泵房巡檢",
        "夜間巡更",
        "水泵房巡檢",
    ]
    assert missed_cells(inspections) == figures["inspections_due"].part
    assert inspections.count == figures["inspections_due"].part + figures["inspections_due"].aside
    assert [row[0].text for row in inspections.rows] == ["L1 lift L1", "P1 water_pump P1"]
    assert (patrols.count, missed_cells(patrols)) == (2, 1)
    assert lift.count == 3
    assert {row[0].text for row in lift.rows} == {"L1 lift L1"}
    assert every.count == sum(f.count for f in planned_work.faults(bsw, NOVEMBER))


def test_the_pages_show_the_section_and_its_drill_downs(client, bsw, planned, head, november):
    client.force_login(head)
    query = {"office": bsw.pk, "period": "2026-11"}
    with time_machine.travel(at(NOW), tick=False):
        page = client.get(reverse("reports:dashboard"), query).content.decode()
        drill = client.get(reverse("reports:drill", args=["planned_on_time"]), query)
        faults = client.get(
            reverse("reports:drill", args=["equipment_faults"]),
            {**query, "equipment": planned["lift"].pk},
        )
        inspections = client.get(reverse("reports:drill", args=["inspections_due"]), query)
    for key in ("planned_on_time", "patrol_coverage", "inspections_due"):
        assert f'data-measure="{key}"' in page
    assert f'data-equipment="{planned["lift"].pk}"' in page
    assert drill.status_code == 200
    text = drill.content.decode()
    assert 'data-testid="planned-by-plans"' in text
    assert 'data-testid="planned-by-units"' in text
    assert text.count("data-share=") == 5  # three plans, two units
    assert text.count('data-missed="1"') == 4
    assert faults.content.decode().count("/orders/") >= 3
    assert inspections.content.decode().count('data-missed="1"') == 2  # L1: its date and result


def test_the_dashboard_with_planned_work_stays_within_its_query_budget(
    client, november, planned, head, django_assert_max_num_queries
):
    client.force_login(head)
    # Patrols: their scans, and their routes' points, in one query each.
    with time_machine.travel(at(NOW), tick=False), django_assert_max_num_queries(28):
        page = client.get(reverse("reports:dashboard"), {"period": "2026-11"})
    assert 'data-measure="planned_on_time"' in page.content.decode()


def test_the_monthly_report_has_planned_work(bsw, planned):
    with time_machine.travel(at(NOW), tick=False):
        report = monthly_report(bsw, NOVEMBER)
        parts = dict(_parts(report))
        pdf = as_pdf(report)
    assert pdf.startswith(b"%PDF")
    titles = list(parts)
    assert len(titles) == 8
    figures = [row[1] for row in parts[titles[0]]]
    assert str(planned_work.PLANNED_ON_TIME.label) in figures
    by_unit, by_plan, faults, inspections = (parts[t] for t in titles[4:])
    assert [row[0] for row in by_unit[1:]] == ["維修班", "保安部"]
    assert by_unit[1][1:5] == ["7", "50.0% (3 / 6)", "1", "2"]
    assert len(by_plan) == 4
    assert faults[1:] == [["L1 lift L1", "3"], ["P1 water_pump P1", "1"]]
    assert [row[0] for row in inspections[1:]] == ["L1 lift L1", "P1 water_pump P1"]


def test_the_evaluation_of_a_unit_shows_its_planned_work(client, bsw, planned, repair_team, head):
    security = planned["security"]
    with time_machine.travel(at(NOW), tick=False):
        report = evaluate(bsw, NOVEMBER, [repair_team, security], [])
    repair, guards = report.units
    assert (repair.planned_due, repair.planned_on_time, repair.planned_late) == (7, 3, 1)
    assert (repair.planned_missed, str(repair.planned.value)) == (2, "50.0")
    assert (guards.planned_due, guards.planned_on_time, guards.planned_missed) == (2, 1, 1)
    lines = table(report, report.units, planned=True)
    assert lines[1][3:7] == [7, "50.0% (3 / 6)", 1, 2]
    assert len(table(report, [], planned=False)[0]) == len(lines[0]) - 4  # staff: no columns
    client.force_login(head)
    with time_machine.travel(at(NOW), tick=False):
        page = client.get(reverse("reports:evaluation"), {"period": "2026-11"}).content.decode()
    assert "50.0% (3 / 6)" in page


def test_only_view_reports_of_ones_own_office(client, bsw, other_office, planned, worker):
    query = {"office": bsw.pk, "period": "2026-11"}
    url = reverse("reports:drill", args=["planned_on_time"])
    client.force_login(worker)
    assert client.get(url, query).status_code == 403
    assert client.get(reverse("reports:dashboard"), query).status_code == 403
    stranger = staff("other_head", Role.HEAD, other_office)
    client.force_login(stranger)
    with time_machine.travel(at(NOW), tick=False):
        refused = client.get(url, query)
        # A piece of another office asked for on one's own office's page shows nothing.
        theirs = client.get(
            reverse("reports:drill", args=["equipment_faults"]),
            {"office": other_office.pk, "period": "2026-11", "equipment": planned["lift"].pk},
        )
        own = client.get(reverse("reports:dashboard"), {"period": "2026-11"}).content.decode()
    assert refused.status_code in (403, 404)
    assert theirs.status_code == 200
    assert "/orders/" not in theirs.content.decode().split('data-testid="drill"')[1]
    assert "data-equipment=" not in own
