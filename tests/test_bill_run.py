"""The quarterly bill run against hand-computed figures: management fee by area and use, water
apportioned by area (vacant units out, then in) and by sub-meter usage; preview, issue, refuse
a second run, finish an interrupted one; bad readings and missing rates refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from estate.billing import runs
from estate.billing.choices import RunStatus, SplitMethod
from estate.billing.models import (
    Apportionment,
    BillRun,
    FeeRate,
    Meter,
    Statement,
    StatementLine,
)
from tests.billing_fixtures import Q4, D, read
from tests.factories import ResidentFactory, unit_at


def amounts(plan):
    return {
        s.unit.address: [(line.description, line.amount) for line in s.lines]
        for s in plan.statements
    }


def test_fees_by_area_and_use_and_water_split_by_area_over_lived_in_units(bsw, fees):
    read(fees["meter"], "1000.00", "1500.00")  # 500 m³ × 4.20 = 2,100.00 yuan
    plan = runs.plan(bsw, Q4)
    # Lived-in area 100 + 88.5 + 50 = 238.5 m²; 2100 × 100/238.5 = 880.503…, × 88.5/238.5 =
    # 779.245…, × 50/238.5 = 440.251…: floors 880.50, 779.24, 440.25 leave one cent, which goes
    # to the largest remainder (779.245…) → 779.25.
    assert amounts(plan) == {
        "3-1201": [("物業管理費 2026Q4", D("750.00")), ("公共用水分攤 2026Q3", D("880.50"))],
        "3-1202": [("物業管理費 2026Q4", D("663.75")), ("公共用水分攤 2026Q3", D("779.25"))],
        "3-S01": [("物業管理費 2026Q4", D("600.00")), ("公共用水分攤 2026Q3", D("440.25"))],
    }
    assert plan.vacant_units == 1
    assert plan.total == D("750.00") + D("663.75") + D("600.00") + D("2100.00")
    (done,) = plan.apportioned
    assert (done.shared_usage, done.total, done.unbilled) == (D("500.00"), D("2100.00"), D("0"))
    line = plan.statements[1].lines[0]
    assert line.basis == "88.50 m² × 2.5 元/m²/月 × 3 個月"


def test_vacant_units_share_when_the_meter_says_so_and_the_office_bears_their_part(bsw, fees):
    Meter.objects.filter(pk=fees["meter"].pk).update(vacant_units_share=True)
    read(fees["meter"], "1000.00", "1500.00")
    plan = runs.plan(bsw, Q4)
    # Area 358.5 m²: 702.928…, 585.774…, 518.410…, 292.887…; two cents left go to .928 and .887.
    water = {a: lines[1][1] for a, lines in amounts(plan).items()}
    assert water == {"3-1201": D("585.77"), "3-1202": D("518.41"), "3-S01": D("292.89")}
    assert plan.apportioned[0].unbilled == D("702.93")
    assert sum(water.values()) + plan.apportioned[0].unbilled == D("2100.00")


def test_split_by_sub_meter_usage(bsw, fees, building3):
    meter = fees["meter"]
    Meter.objects.filter(pk=meter.pk).update(split_method=SplitMethod.SUB_METER)
    for address, previous, current in (("3-1201", "10", "40"), ("3-1202", "5", "15")):
        sub = Meter.objects.create(
            office=bsw, name=f"{address}分錶", fee_item=fees["water"], parent=meter,
            unit=building3[address],
        )  # fmt: skip
        read(sub, previous, current)
    read(meter, "1000.00", "1500.00")  # shared: 500 − 30 − 10 = 460 m³ × 4.20 = 1,932.00
    water = {a: lines[1][1] for a, lines in amounts(runs.plan(bsw, Q4)).items()}
    assert water == {"3-1201": D("1449.00"), "3-1202": D("483.00"), "3-S01": D("0.00")}


def test_issue_writes_statements_whose_lines_add_up_then_refuses_a_second_run(bsw, fees, cashier):
    read(fees["meter"], "1000.00", "1500.00")
    run = runs.issue(bsw, Q4, by=cashier)
    assert (run.status, run.statements_issued) == (RunStatus.ISSUED, 3)
    for statement in Statement.objects.all():
        assert statement.total == sum(line.amount for line in statement.lines.all())
        assert statement.due_on == runs.issue_day(bsw) + timedelta(days=bsw.bill_due_days)
    assert Statement.objects.get(unit__address="3-1202").number == "BSW-2026Q4-3-1202"
    assert Apportionment.objects.get().total == D("2100.00")
    with pytest.raises(ValidationError, match="2026Q4"):
        runs.issue(bsw, Q4, by=cashier)
    assert Statement.objects.count() == 3


def test_an_interrupted_run_is_finished_by_running_it_again(bsw, fees, cashier):
    read(fees["meter"], "1000.00", "1500.00")
    run = runs.issue(bsw, Q4, by=cashier)
    # As a crash would leave it: the run not marked issued, the last statement not written.
    BillRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, finished_at=None)
    Statement.objects.filter(unit__address="3-S01").delete()
    again = runs.issue(bsw, Q4, by=cashier)
    assert again.pk == run.pk
    assert again.statements_issued == 3
    assert Statement.objects.filter(unit__address="3-S01").count() == 1
    assert StatementLine.objects.count() == 6


def test_a_building_run_and_then_the_office_run_never_bill_a_unit_twice(bsw, fees, cashier):
    other = unit_at(bsw, "5-101", area=D("90.00"))
    ResidentFactory(household__unit=other)
    read(fees["meter"], "1000.00", "1500.00")
    runs.issue(bsw, Q4, by=cashier, building=other.building)
    assert Statement.objects.count() == 1
    runs.issue(bsw, Q4, by=cashier)
    assert Statement.objects.count() == 4


def test_a_missing_rate_or_reading_is_named_and_nothing_is_issued(bsw, fees, cashier):
    FeeRate.objects.filter(unit_use="shop").delete()
    with pytest.raises(ValidationError) as refused:
        runs.issue(bsw, Q4, by=cashier)
    messages = " ".join(refused.value.messages)
    assert "物業管理費" in messages
    assert "商鋪" in messages
    assert "3棟總水錶" in messages  # no reading for 2026Q3 either
    assert not Statement.objects.exists()
    assert not BillRun.objects.exists()


def test_bad_readings_are_refused_by_field(bsw, fees):
    meter = fees["meter"]
    with pytest.raises(ValidationError) as backwards:
        read(meter, "1500.00", "1400.00")
    assert "current" in backwards.value.message_dict
    read(meter, "1000.00", "1500.00")
    with pytest.raises(ValidationError) as twice:
        read(meter, "1000.00", "1600.00")
    assert "quarter" in twice.value.message_dict
    with pytest.raises(ValidationError) as gap:
        read(meter, "1400.00", "1800.00", quarter=Q4)
    assert "previous" in gap.value.message_dict


def test_a_run_that_meets_the_other_runs_rows_is_a_conflict(bsw, fees, cashier, monkeypatch):
    """Where no lock can be taken (SQLite), the unique rows of a run issuing at the same time
    turn into the same refusal as on PostgreSQL, not a database error."""
    from django.db import IntegrityError

    from estate.billing.models import BillRun
    from estate.core.conflicts import Conflict

    read(fees["meter"], "1000.00", "1500.00")

    def the_other_run_wrote_first(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: billing_statement.household_id")

    monkeypatch.setattr(runs, "_write_batch", the_other_run_wrote_first)
    with pytest.raises(Conflict) as refused:
        runs.issue(bsw, Q4, by=cashier)
    assert refused.value.code == "run_in_progress"
    assert BillRun.objects.get().status == "running"  # the other run finishes it
