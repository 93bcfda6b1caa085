"""The month's time-rule figures against a hand-made month: kept, missed, still open, rate."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from estate.reports.timeliness import rule_figures
from estate.timerules.scheduler import sweep
from estate.visits.measures import month_bounds
from estate.workorders import actions

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def complaint(office, by, when):
    with time_machine.travel(at(when), tick=False):
        return actions.open_work_order(
            office=office,
            by=by,
            channel="desk",
            kind="complaint",
            description="噪音",
            location="大堂",
        )


def dispatch(order, team, by, when):
    with time_machine.travel(at(when), tick=False):
        actions.dispatch(order, service_unit=team, by=by, channel="desk")


def test_complaints_dispatched_within_ten_minutes_in_november(bsw, reception, repair_team):
    kept = complaint(bsw, reception, "2026-11-02 10:00")
    dispatch(kept, repair_team, reception, "2026-11-02 10:05")
    late = complaint(bsw, reception, "2026-11-03 10:00")
    with time_machine.travel(at("2026-11-03 10:11"), tick=False):
        sweep()
    dispatch(late, repair_team, reception, "2026-11-03 10:20")  # met late: still a miss
    complaint(bsw, reception, "2026-11-04 10:00")  # not dispatched yet: still open
    october = complaint(bsw, reception, "2026-10-31 10:00")
    dispatch(october, repair_team, reception, "2026-10-31 10:02")  # another month
    with time_machine.travel(at("2026-11-04 10:03"), tick=False):
        figures = {f.rule: f for f in rule_figures(bsw, *month_bounds(bsw, date(2026, 11, 1)))}
    row = figures["complaint_dispatch"]
    assert (row.kept, row.missed, row.open) == (1, 1, 1)
    assert (row.rate, row.met) == (Decimal("50.00"), False)
    assert figures["on_scene"].rate is None  # no emergencies: nothing to say


def test_an_office_with_nothing_shows_no_rates_and_bad_months_are_named(client, bsw, head):
    figures = rule_figures(bsw, *month_bounds(bsw, date(2026, 11, 1)))
    assert all((f.kept, f.missed, f.open, f.rate) == (0, 0, 0, None) for f in figures)
    client.force_login(head)
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        assert client.get(reverse("reports:figures")).status_code == 200
        future = client.get(reverse("reports:figures"), {"month": "2027-02"})
        malformed = client.get(reverse("reports:figures"), {"month": "2026-13"})
    assert 'data-testid="period-problem"' in future.content.decode()
    assert malformed.status_code == 400
