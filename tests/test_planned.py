"""Plans that open their own work: schedules, the scheduler's sweeps, answering a checklist."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from estate.accounts.roles import Role
from estate.equipment.models import Equipment
from estate.planned import actions
from estate.planned.choices import Frequency, TaskStatus
from estate.planned.models import PlannedTask
from estate.planned.schedule import Schedule, is_working_day, next_occurrence, validate_schedule
from estate.properties.models import ServiceUnit
from estate.timerules.calendar import WorkCalendar
from tests.factories import staff

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SH)


def schedule(**fields):
    base = {"frequency": Frequency.DAILY, "starts_on": date(2026, 1, 1)}
    base.update(fields)
    times = tuple(time.fromisoformat(t) for t in base.pop("times", ()))
    return Schedule(times=times, weekdays=frozenset(base.pop("weekdays", ())), **base)


# -- schedules -----------------------------------------------------------------------------


def test_every_n_hours_counts_from_the_first_day():
    plan = schedule(frequency=Frequency.HOURS, every=6, times=["02:00"])
    assert next_occurrence(plan, at(2026, 3, 5, 9)) == at(2026, 3, 5, 14)
    assert next_occurrence(plan, at(2026, 3, 5, 14)) == at(2026, 3, 5, 20)


def test_daily_at_given_times():
    plan = schedule(times=["20:00", "08:00"])
    assert next_occurrence(plan, at(2026, 3, 5, 9)) == at(2026, 3, 5, 20)
    assert next_occurrence(plan, at(2026, 3, 5, 20)) == at(2026, 3, 6, 8)


def test_weekly_on_given_days():
    plan = schedule(frequency=Frequency.WEEKLY, weekdays=[1, 4], times=["09:30"])
    # 2026-03-05 is a Thursday: next Monday, then Thursday.
    assert next_occurrence(plan, at(2026, 3, 5, 10)) == at(2026, 3, 9, 9, 30)
    assert next_occurrence(plan, at(2026, 3, 9, 9, 30)) == at(2026, 3, 12, 9, 30)


def test_monthly_on_the_31st_falls_on_the_last_day_of_a_short_month():
    plan = schedule(frequency=Frequency.MONTHLY, day_of_month=31)
    assert next_occurrence(plan, at(2026, 1, 31, 9)) == at(2026, 2, 28, 8)
    assert next_occurrence(plan, at(2026, 2, 28, 8)) == at(2026, 3, 31, 8)


def test_yearly_on_a_month_and_day():
    plan = schedule(frequency=Frequency.YEARLY, month=5, day_of_month=20, times=["10:00"])
    assert next_occurrence(plan, at(2026, 5, 20, 10)) == at(2027, 5, 20, 10)


def test_working_days_only_skips_national_day_and_works_the_make_up_saturday():
    plan = schedule(times=["08:00"], working_days_only=True)
    assert next_occurrence(plan, at(2026, 9, 30, 9)) == at(2026, 10, 8, 8)
    assert next_occurrence(plan, at(2026, 10, 9, 9)) == at(2026, 10, 10, 8)  # 調休 Saturday
    monthly = schedule(frequency=Frequency.MONTHLY, day_of_month=1, working_days_only=True)
    assert next_occurrence(monthly, at(2026, 9, 2)) == at(2026, 10, 8, 8)  # moved past the holiday


def test_an_unpublished_year_counts_monday_to_friday():
    # No year after 2030 is published by the holidays package this project pins.
    day = date(2099, 1, 3)  # a Saturday
    assert not is_working_day(day, WorkCalendar())
    assert is_working_day(date(2099, 1, 5), WorkCalendar())


def test_ends_on_stops_the_plan():
    plan = schedule(times=["08:00"], ends_on=date(2026, 3, 5))
    assert next_occurrence(plan, at(2026, 3, 5, 9)) is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"frequency": Frequency.WEEKLY, "weekdays": []}, "weekdays"),
        ({"frequency": Frequency.YEARLY, "month": 2, "day_of_month": 31}, "day_of_month"),
        ({"frequency": Frequency.DAILY, "times": ["25:00"]}, "times"),
        ({"frequency": Frequency.DAILY, "times": ["8點"]}, "times"),
        ({"frequency": Frequency.DAILY, "ends_on": date(2025, 12, 1)}, "ends_on"),
        ({"frequency": Frequency.HOURS, "every": 0}, "every"),
        ({"frequency": Frequency.MONTHLY, "day_of_month": None}, "day_of_month"),
        # Every Saturday on working days only, ending before the first 調休 Saturday.
        (
            {
                "frequency": Frequency.WEEKLY,
                "weekdays": [6],
                "working_days_only": True,
                "starts_on": date(2026, 3, 1),
                "ends_on": date(2026, 3, 31),
            },
            "ends_on",
        ),
    ],
)
def test_a_schedule_that_never_fires_is_refused_naming_the_field(fields, field):
    values = {
        "every": 1,
        "times": ["08:00"],
        "weekdays": [],
        "day_of_month": None,
        "month": None,
        "working_days_only": False,
        "starts_on": date(2026, 1, 1),
        "ends_on": None,
    }
    values.update(fields)
    with pytest.raises(ValidationError) as refused:
        validate_schedule(**values)
    assert field in refused.value.message_dict


schedules = st.one_of(
    st.builds(
        lambda every, t, wd: schedule(
            frequency=Frequency.HOURS, every=every, times=[t], working_days_only=wd
        ),
        st.integers(1, 72),
        st.sampled_from(["00:00", "07:30", "23:15"]),
        st.booleans(),
    ),
    st.builds(
        lambda ts, wd: schedule(times=sorted(ts), working_days_only=wd),
        st.sets(st.sampled_from(["06:00", "12:00", "18:30", "23:59"]), min_size=1),
        st.booleans(),
    ),
    st.builds(
        lambda days, wd: schedule(
            frequency=Frequency.WEEKLY, weekdays=sorted(days), times=["09:00"], working_days_only=wd
        ),
        st.sets(st.integers(1, 7), min_size=1),
        st.booleans(),
    ),
    st.builds(
        lambda d, wd: schedule(frequency=Frequency.MONTHLY, day_of_month=d, working_days_only=wd),
        st.integers(1, 31),
        st.booleans(),
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=schedules, start=st.datetimes(datetime(2026, 1, 1), datetime(2026, 11, 30)))
def test_occurrences_strictly_increase_and_fall_where_allowed(plan, start):
    moment = start.replace(tzinfo=SH)
    for _ in range(8):
        following = next_occurrence(plan, moment)
        if following is None:  # weekends only, on working days: only 調休 Saturdays fit
            assert plan.working_days_only
            assert plan.weekdays <= {6, 7}
            break
        assert following > moment
        local = following.astimezone(SH)
        if plan.working_days_only:
            assert is_working_day(local.date(), None)
            assert not date(2026, 10, 1) <= local.date() <= date(2026, 10, 7)
        if plan.frequency == Frequency.WEEKLY:
            assert local.isoweekday() in plan.weekdays or plan.working_days_only
        if plan.frequency in (Frequency.DAILY, Frequency.WEEKLY):
            assert local.time() in plan.times
        moment = following


def test_a_daily_working_days_plan_lands_on_the_make_up_saturday():
    plan = schedule(times=["08:00"], working_days_only=True)
    moment, days = at(2026, 9, 25), set()
    while moment < at(2026, 10, 15):
        moment = next_occurrence(plan, moment)
        days.add(moment.date())
    assert date(2026, 10, 10) in days
    assert not any(date(2026, 10, 1) <= d <= date(2026, 10, 7) for d in days)


# -- the sweeps ----------------------------------------------------------------------------


@pytest.fixture
def pump(bsw):
    return Equipment.objects.create(
        office=bsw, code="P-1", name="生活水泵", kind="water_pump", place="B1泵房"
    )


def daily_plan(office, unit, by, *, now, name="泵房巡檢", items=None, **fields):
    values = {
        "name": name,
        "service_unit": unit,
        "target": "equipment_kind",
        "equipment_kind": "water_pump",
        "frequency": Frequency.DAILY,
        "every": 1,
        "times": ["09:00"],
        "weekdays": [],
        "window_minutes": 120,
        "starts_on": now.astimezone(SH).date() - timedelta(days=30),
    }
    values.update(fields)
    return actions.save_plan(
        office=office,
        by=by,
        fields=values,
        items=items
        if items is not None
        else [
            {"text": "運轉聲音正常", "kind": "check"},
            {"text": "出水壓力", "kind": "reading", "unit": "MPa", "low": "0.2", "high": "0.6"},
        ],
        now=now,
    )


NOW = at(2026, 6, 10, 9, 30)


@pytest.fixture
def plan(bsw, repair_team, manager, pump):
    with time_machine.travel(NOW, tick=False):
        return daily_plan(bsw, repair_team, manager, now=NOW)


def test_saving_a_plan_sets_its_next_due_time(plan):
    assert plan.next_due_at == at(2026, 6, 11, 9)


def test_a_sweep_twice_opens_one_task(plan, django_assert_max_num_queries):
    sweep_at = at(2026, 6, 11, 9, 1)
    first = actions.open_due_tasks(sweep_at)
    second = actions.open_due_tasks(sweep_at)
    assert (first.opened, second.opened) == (1, 0)
    task = PlannedTask.objects.get()
    assert (task.due_at, task.window_ends_at) == (at(2026, 6, 11, 9), at(2026, 6, 11, 11))
    plan.refresh_from_db()
    assert plan.next_due_at == at(2026, 6, 12, 9)
    with django_assert_max_num_queries(1):
        assert actions.open_due_tasks(sweep_at).opened == 0  # nothing due: one indexed query


def test_catching_up_after_three_days_down_opens_one_and_counts_the_missed(plan):
    result = actions.open_due_tasks(at(2026, 6, 13, 10))  # 11th, 12th, 13th fell due
    assert (result.opened, result.missed) == (1, 2)
    assert PlannedTask.objects.get().due_at == at(2026, 6, 13, 9)
    plan.refresh_from_db()
    assert (plan.missed_count, plan.next_due_at) == (2, at(2026, 6, 14, 9))


def test_an_open_task_blocks_the_next_and_is_missed_when_its_window_passes(plan):
    actions.open_due_tasks(at(2026, 6, 11, 9, 1))
    blocked = actions.open_due_tasks(at(2026, 6, 12, 9, 1))  # still open: counted, not opened
    assert (blocked.opened, blocked.missed) == (0, 1)
    assert actions.mark_missed(at(2026, 6, 12, 9, 2)) == 1
    assert PlannedTask.objects.get().status == TaskStatus.MISSED
    assert actions.open_due_tasks(at(2026, 6, 13, 9, 1)).opened == 1
    plan.refresh_from_db()
    assert plan.missed_count == 2


def test_a_plan_on_a_kind_opens_one_task_per_piece(plan, bsw, pump):
    Equipment.objects.create(office=bsw, code="P-2", name="消防水泵", kind="water_pump")
    Equipment.objects.create(
        office=bsw, code="P-3", name="舊水泵", kind="water_pump", is_active=False
    )
    Equipment.objects.create(office=bsw, code="L-1", name="1號電梯", kind="lift")
    assert actions.open_due_tasks(at(2026, 6, 11, 9, 1)).opened == 2
    assert set(PlannedTask.objects.values_list("equipment__code", flat=True)) == {"P-1", "P-2"}


# -- answering -----------------------------------------------------------------------------


@pytest.fixture
def task(plan):
    actions.open_due_tasks(at(2026, 6, 11, 9, 1))
    return PlannedTask.objects.get()


def answers(task, *, ok=True, reading="0.35", note=""):
    check, pressure = task.plan.items.order_by("position")
    return {check.pk: {"ok": ok, "note": note}, pressure.pk: {"reading": reading}}


def test_a_reading_that_is_not_a_number_is_refused_naming_the_item(task, worker):
    with pytest.raises(ValidationError) as refused:
        actions.answer_task(task, answers=answers(task, reading="約0.3"), by=worker)
    (message,) = [m for ms in refused.value.message_dict.values() for m in ms]
    assert "出水壓力" in message
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    assert not task.answers.exists()


def test_an_answer_in_range_completes_on_time(task, worker):
    done = actions.answer_task(task, answers=answers(task), by=worker, at=at(2026, 6, 11, 10))
    assert done.status == TaskStatus.DONE
    assert done.on_time
    assert done.done_by == worker
    assert not done.answers.filter(repair_order__isnull=False).exists()
    with pytest.raises(ValidationError):
        actions.answer_task(task, answers=answers(task), by=worker)


def test_done_after_the_window_is_late(task, worker):
    actions.mark_missed(at(2026, 6, 11, 12))
    done = actions.answer_task(task, answers=answers(task), by=worker, at=at(2026, 6, 11, 12))
    assert done.status == TaskStatus.DONE
    assert not done.on_time


def test_out_of_range_and_not_ok_each_open_a_linked_repair_order(task, worker, repair_team, pump):
    with time_machine.travel(at(2026, 6, 11, 10), tick=False):
        actions.answer_task(
            task, answers=answers(task, ok=False, reading="0.9", note="異響"), by=worker
        )
    orders = [a.repair_order for a in task.answers.order_by("item__position")]
    assert all(order is not None for order in orders)
    for order in orders:
        assert (order.office_id, order.service_unit, order.equipment, order.kind) == (
            task.office_id,
            repair_team,
            pump,
            "repair",
        )
    assert "泵房巡檢" in orders[0].description
    assert "運轉聲音正常" in orders[0].description
    assert "0.9" in orders[1].description
    assert "出水壓力" in orders[1].description


def test_a_route_task_is_completed_by_the_patrol(bsw, manager):
    from estate.patrols.models import PatrolRoute

    guards = ServiceUnit.objects.create(office=bsw, name="保安部", kind="security", scope="巡更")
    route = PatrolRoute.objects.create(office=bsw, name="夜巡", service_unit=guards)
    with time_machine.travel(NOW, tick=False):
        daily_plan(
            bsw, guards, manager, now=NOW, name="夜間巡更", items=[], target="route", route=route
        )
    actions.open_due_tasks(at(2026, 6, 11, 9, 1))
    task = PlannedTask.objects.get()
    done = actions.complete_task(task, by=manager, at=at(2026, 6, 11, 9, 30))
    assert done.status == TaskStatus.DONE
    assert done.on_time


# -- access --------------------------------------------------------------------------------


def test_only_the_unit_and_the_office_see_a_task(task, worker, bsw, other_office, repair_lead):
    cleaner = staff("cleaner", Role.WORKER, bsw)  # of the office, in no unit of this plan
    stranger = staff("stranger", Role.MANAGER, other_office)
    from estate.accounts.roles import Capability

    visible = PlannedTask.objects.visible_to
    assert list(visible(worker, Capability.DO_WORK)) == [task]
    assert list(visible(repair_lead, Capability.DO_WORK)) == [task]
    assert not visible(cleaner, Capability.DO_WORK).exists()
    assert not visible(stranger).exists()


def test_task_pages_refuse_another_unit_and_another_office(client, task, worker, bsw, other_office):
    from django.urls import reverse

    from tests.factories import PASSWORD

    url = reverse("planned:task", args=[task.pk])
    for name, role, office in (
        ("cleaner", Role.WORKER, bsw),
        ("stranger", Role.MANAGER, other_office),
    ):
        staff(name, role, office)
        client.login(username=name, password=PASSWORD)
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    client.login(username="worker", password=PASSWORD)
    page = client.get(url)
    assert page.status_code == 200
    assert "出水壓力" in page.content.decode()


def test_the_form_refuses_a_plan_of_another_office_unit(bsw, other_office, manager):
    unit = ServiceUnit.objects.get(office=other_office)
    with pytest.raises(ValidationError) as refused:
        daily_plan(bsw, unit, manager, now=NOW)
    assert "service_unit" in refused.value.message_dict


# -- races ---------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="racing schedulers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_racing_schedulers_open_one_task(bsw, repair_team, manager, pump):
    with time_machine.travel(NOW, tick=False):
        daily_plan(bsw, repair_team, manager, now=NOW)
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(actions.open_due_tasks(at(2026, 6, 11, 9, 1)).opened)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [0, 1]
    assert PlannedTask.objects.count() == 1


def test_a_worker_answers_on_the_phone_page_and_sees_it_in_the_field_view(client, task, worker):
    from django.urls import reverse

    from tests.factories import PASSWORD

    client.login(username="worker", password=PASSWORD)
    with time_machine.travel(at(2026, 6, 11, 9, 30), tick=False):
        assert "泵房巡檢" in client.get(reverse("workorders:jobs")).content.decode()
        check, pressure = task.plan.items.order_by("position")
        url = reverse("planned:task", args=[task.pk])
        refused = client.post(
            url, {f"item-{check.pk}-ok": "yes", f"item-{pressure.pk}-reading": "abc"}
        )
        assert refused.status_code == 200
        assert "出水壓力" in refused.content.decode()
        done = client.post(
            url, {f"item-{check.pk}-ok": "yes", f"item-{pressure.pk}-reading": "0.4"}
        )
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_the_plan_page_shows_the_next_five_occurrences(client, plan, manager):
    from django.urls import reverse

    from tests.factories import PASSWORD

    client.login(username="manager", password=PASSWORD)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("planned:plan_edit", args=[plan.pk])).content.decode()
    assert "2026-06-11 09:00" in page
    assert "2026-06-15 09:00" in page


def test_the_pieces_page_lists_its_planned_work(client, task, worker):
    """The equipment page (its QR label opens it on a phone) shows the piece's planned tasks."""
    from django.urls import reverse

    from tests.factories import PASSWORD

    client.login(username="worker", password=PASSWORD)
    with time_machine.travel(at(2026, 6, 11, 9, 30), tick=False):
        page = client.get(reverse("equipment:detail", args=[task.equipment_id])).content.decode()
    assert 'data-testid="planned-tasks"' in page
    assert reverse("planned:task", args=[task.pk]) in page
    assert "泵房巡檢" in page
