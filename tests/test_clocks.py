"""Clocks on orders: started, met, paused and breached by the timeline; warned and escalated exactly once."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from estate.accounts.roles import Role
from estate.notifications.models import Notification
from estate.timerules import scheduler
from estate.timerules.choices import ClockState, Rule
from estate.timerules.models import CalendarOverride, CalendarYear, Clock, ClockPolicy
from estate.workorders import actions
from tests.factories import staff

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def complaint(office, by, **fields):
    """A complaint left for the desk to dispatch (as a portal report is), so its clock runs."""
    defaults = {
        "channel": "desk",
        "kind": "complaint",
        "description": "噪音擾民",
        "location": "3棟",
        "dispatch_now": False,
    }
    return actions.open_work_order(office=office, by=by, **{**defaults, **fields})


def clock(order, rule):
    return Clock.objects.get(work_order=order, rule=rule)


@time_machine.travel(at("2026-11-26 09:00"), tick=False)
def test_a_complaint_gets_a_ten_minute_dispatch_clock_and_same_day_reply(bsw, reception):
    order = complaint(bsw, reception)
    dispatch = clock(order, Rule.COMPLAINT_DISPATCH)
    assert dispatch.due_at == at("2026-11-26 09:10")
    assert dispatch.warn_at == at("2026-11-26 09:08")
    assert clock(order, Rule.SAME_DAY_REPLY).due_at == at("2026-11-26 23:59:59")
    assert not Clock.objects.filter(
        work_order=order, rule=Rule.SAME_DAY_COMPLETION
    ).exists()  # repairs only


def test_dispatch_in_time_meets_the_clock(bsw, reception, repair_team, manager):
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        order = complaint(bsw, reception)
    with time_machine.travel(at("2026-11-26 09:07"), tick=False):
        actions.dispatch(
            order, service_unit=repair_team, assignee=manager, by=reception, channel="desk"
        )
    dispatch = clock(order, Rule.COMPLAINT_DISPATCH)
    assert (dispatch.state, dispatch.met_at) == (ClockState.MET, at("2026-11-26 09:07"))


def test_a_complaint_sent_to_a_team_without_a_manager_is_not_arranged(
    bsw, reception, repair_team, worker, repair_lead
):
    """R-A2.0 wants a manager on the complaint within 10 minutes: a team (even with a worker
    and its lead named) does not stop the clock, and the sweep finds it missed."""
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        order = complaint(bsw, reception)
    with time_machine.travel(at("2026-11-26 09:03"), tick=False):
        actions.dispatch(order, service_unit=repair_team, by=reception, channel="desk")
    with time_machine.travel(at("2026-11-26 09:05"), tick=False):
        actions.assign(order, assignee=worker, by=repair_lead, channel="desk")
    assert clock(order, Rule.COMPLAINT_DISPATCH).state == ClockState.RUNNING
    scheduler.sweep(at("2026-11-26 09:11"))
    dispatch = clock(order, Rule.COMPLAINT_DISPATCH)
    assert (dispatch.state, dispatch.met_at) == (ClockState.BREACHED, None)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.HEAD])
def test_a_complaint_given_to_a_manager_or_the_head_in_time_is_kept(
    bsw, reception, repair_team, worker, role
):
    """Dispatched to the team first, then handed to a manager (or the head) by transfer within
    the ten minutes: kept, at the moment the manager was assigned."""
    handler = staff(f"handler_{role}", role, bsw)
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        order = complaint(bsw, reception)
    with time_machine.travel(at("2026-11-26 09:02"), tick=False):
        actions.dispatch(
            order, service_unit=repair_team, assignee=worker, by=reception, channel="desk"
        )
    assert clock(order, Rule.COMPLAINT_DISPATCH).state == ClockState.RUNNING
    with time_machine.travel(at("2026-11-26 09:09"), tick=False):
        actions.transfer(
            order, service_unit=repair_team, assignee=handler, reason="投訴交經理",
            by=reception, channel="desk",
        )  # fmt: skip
    scheduler.sweep(at("2026-11-26 09:11"))
    dispatch = clock(order, Rule.COMPLAINT_DISPATCH)
    assert (dispatch.state, dispatch.met_at) == (ClockState.MET, at("2026-11-26 09:09"))


def test_warning_then_breach_then_escalation_each_exactly_once(
    bsw, reception, head, manager, leader
):
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        order = complaint(bsw, reception)
    assert scheduler.sweep(at("2026-11-26 09:05")).warned == 0
    first = scheduler.sweep(at("2026-11-26 09:08"))
    assert first.warned == 1
    assert scheduler.sweep(at("2026-11-26 09:09")).warned == 0  # never twice
    warning = Notification.objects.get(kind="clock_warning")
    assert (warning.recipient, order.number in warning.text) == (reception, True)

    breach = scheduler.sweep(at("2026-11-26 09:10"))
    assert (breach.breached, breach.escalated) == (1, 1)
    assert Notification.objects.filter(kind="clock_breach", recipient=manager).count() == 1
    assert clock(order, Rule.COMPLAINT_DISPATCH).state == ClockState.BREACHED

    assert scheduler.sweep(at("2026-11-26 09:30")).escalated == 0  # the head only after an hour
    assert scheduler.sweep(at("2026-11-26 10:10")).escalated == 1
    assert Notification.objects.filter(kind="clock_breach", recipient=head).count() == 1
    dispatch = clock(order, Rule.COMPLAINT_DISPATCH)
    next_day = scheduler.sweep(at("2026-11-27 09:10"))
    # Leadership hears of the dispatch breach after a day. The unanswered reply breached at
    # midnight: it is stamped then, so the managers and (an hour after midnight) the head hear.
    assert (next_day.breached, next_day.escalated) == (1, 3)
    reply = clock(order, Rule.SAME_DAY_REPLY)
    assert reply.breached_at == reply.due_at
    assert (
        Notification.objects.filter(
            recipient=leader, dedup_key=f"clock:{dispatch.pk}:breach:3"
        ).count()
        == 1
    )
    assert clock(order, Rule.SAME_DAY_REPLY).state == ClockState.BREACHED
    assert scheduler.sweep(at("2026-11-27 09:11")).escalated == 0


def test_a_breach_while_the_scheduler_was_down_is_sent_once_after_restart(bsw, reception, manager):
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        order = complaint(bsw, reception)
    # Nothing ran between 09:00 and 13:00; the restarted scheduler catches up once.
    with time_machine.travel(at("2026-11-26 13:00"), tick=False):
        call_command("run_scheduler", "--once", verbosity=0)
        call_command("run_scheduler", "--once", verbosity=0)
    assert clock(order, Rule.COMPLAINT_DISPATCH).state == ClockState.BREACHED
    assert Notification.objects.filter(kind="clock_breach", recipient=manager).count() == 1
    # The warning's moment passed unseen; a warning after the deadline would be noise.
    assert not Notification.objects.filter(kind="clock_warning").exists()


def test_a_breached_clock_stays_breached_when_met_late(bsw, reception, repair_team, manager):
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        order = complaint(bsw, reception)
    scheduler.sweep(at("2026-11-26 09:30"))
    with time_machine.travel(at("2026-11-26 09:40"), tick=False):
        actions.dispatch(
            order, service_unit=repair_team, assignee=manager, by=reception, channel="desk"
        )
    dispatch = clock(order, Rule.COMPLAINT_DISPATCH)
    assert (dispatch.state, dispatch.met_at) == (ClockState.BREACHED, at("2026-11-26 09:40"))
    assert scheduler.sweep(at("2026-11-26 11:00")).escalated == 0  # done: no more escalation


def test_repairs_after_closing_time_are_due_the_next_working_day(bsw, reception):
    with time_machine.travel(at("2026-09-30 19:00"), tick=False):
        order = actions.open_work_order(
            office=bsw,
            by=reception,
            channel="desk",
            kind="repair",
            description="漏水",
            location="大堂",
        )
    assert clock(order, Rule.SAME_DAY_COMPLETION).due_at == at("2026-10-08 23:59:59")


def test_hold_pauses_the_completion_clock_and_resume_moves_its_deadline(
    bsw, reception, worker, repair_team
):
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        order = actions.open_work_order(
            office=bsw, by=reception, channel="desk", kind="repair", description="漏水", location="大堂",
            service_unit=repair_team, assignee=worker,
        )  # fmt: skip
        actions.accept(order, by=worker, channel="desk")
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        actions.hold(order, reason="住戶不在家", resume_on=None, by=worker, channel="desk")
    paused = clock(order, Rule.SAME_DAY_COMPLETION)
    assert paused.state == ClockState.PAUSED
    assert (
        scheduler.sweep(at("2026-11-27 09:00")).breached == 1
    )  # only the reply clock (it does not pause)
    assert clock(order, Rule.SAME_DAY_COMPLETION).state == ClockState.PAUSED
    with time_machine.travel(at("2026-11-26 13:00"), tick=False):
        actions.resume(order, by=worker, channel="desk")
    resumed = clock(order, Rule.SAME_DAY_COMPLETION)
    assert (resumed.state, resumed.due_at) == (ClockState.RUNNING, at("2026-11-27 02:59:59"))


def test_weekly_contact_rolls_from_each_contact(bsw, reception):
    with time_machine.travel(at("2026-11-02 09:00"), tick=False):
        order = complaint(bsw, reception)
    first = clock(order, Rule.WEEKLY_CONTACT)
    assert first.due_at == at("2026-11-09 09:00")
    with time_machine.travel(at("2026-11-06 15:00"), tick=False):
        actions.update_requester(
            order, reply_channel="phone", text="施工單位仍在處理", by=reception, channel="desk"
        )
    weekly = list(
        Clock.objects.filter(work_order=order, rule=Rule.WEEKLY_CONTACT).order_by("started_at")
    )
    assert [c.state for c in weekly] == [ClockState.MET, ClockState.RUNNING]
    assert weekly[1].due_at == at("2026-11-13 15:00")


def test_follow_up_within_three_days_of_completion(bsw, reception, worker, repair_team):
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        order = complaint(
            bsw, reception, service_unit=repair_team, assignee=worker, dispatch_now=True
        )
        actions.accept(order, by=worker, channel="desk")
        actions.complete(order, work_done="已協調", by=worker, channel="desk")
    assert clock(order, Rule.FOLLOW_UP).due_at == at("2026-11-29 09:00")


def test_cancelled_orders_stop_their_clocks(bsw, reception):
    order = complaint(bsw, reception)
    actions.cancel(order, reason="重複登記", by=reception, channel="desk")
    assert set(Clock.objects.filter(work_order=order).values_list("state", flat=True)) == {
        ClockState.STOPPED
    }


def test_editing_a_policy_does_not_move_running_clocks(bsw, reception):
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        first = complaint(bsw, reception)
        ClockPolicy.objects.filter(office=bsw, rule=Rule.COMPLAINT_DISPATCH).update(amount=30)
        second = complaint(bsw, reception)
    assert clock(first, Rule.COMPLAINT_DISPATCH).due_at == at("2026-11-26 09:10")
    assert clock(second, Rule.COMPLAINT_DISPATCH).due_at == at("2026-11-26 09:30")


def test_a_zero_target_is_refused(bsw, reception):
    complaint(bsw, reception)
    policy = ClockPolicy.objects.get(office=bsw, rule=Rule.COMPLAINT_DISPATCH)
    policy.amount = 0
    with pytest.raises(ValidationError) as refused:
        policy.full_clean()
    assert "amount" in refused.value.message_dict


def test_an_override_outside_its_year_is_refused(bsw):
    year = CalendarYear.objects.create(office=bsw, year=2026)
    override = CalendarOverride(
        calendar_year=year, day=datetime(2027, 1, 2).date(), is_working_day=False
    )
    with pytest.raises(ValidationError) as refused:
        override.full_clean()
    assert "day" in refused.value.message_dict


def test_an_office_closure_moves_same_day_deadlines(bsw, reception):
    year = CalendarYear.objects.create(office=bsw, year=2026)
    CalendarOverride.objects.create(
        calendar_year=year, day=datetime(2026, 11, 27).date(), is_working_day=False
    )
    with time_machine.travel(at("2026-11-26 18:00"), tick=False):
        order = complaint(bsw, reception)
    assert clock(order, Rule.SAME_DAY_REPLY).due_at == at("2026-11-30 23:59:59")


def test_next_wake_is_the_next_due_moment_or_the_safety_sweep(bsw, reception):
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        complaint(bsw, reception)
    assert scheduler.next_wake(at("2026-11-26 09:07:50")) == at("2026-11-26 09:08")
    assert scheduler.next_wake(at("2026-11-26 09:00")) == at("2026-11-26 09:00:15")
    assert scheduler.next_wake(at("2026-11-26 09:08:30")) - at("2026-11-26 09:08:30") <= timedelta(
        seconds=15
    )


def test_what_fell_due_while_sweeping_is_swept_at_once(bsw, reception):
    """The next wake is computed from the sweep's own time, so a deadline that passed during the
    sweep is in the past when the scheduler looks: it sweeps again at once instead of sleeping."""
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        complaint(bsw, reception)
    swept_at = at("2026-11-26 09:07:59.900")
    assert scheduler.next_wake(swept_at) == at("2026-11-26 09:08")
    assert scheduler.next_wake(swept_at) < at("2026-11-26 09:08:00.500")  # the time it is now


def test_clocks_are_visible_on_the_order_page_the_board_and_the_api(
    client, bsw, reception, other_office
):
    from django.urls import reverse

    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        order = complaint(bsw, reception)
    scheduler.sweep(at("2026-11-26 09:20"))  # the dispatch clock breaches
    client.force_login(reception)
    with time_machine.travel(at("2026-11-26 09:20"), tick=False):
        page = client.get(reverse("workorders:detail", args=[order.pk])).text
        board = client.get(reverse("timerules:board")).text
        api = client.get(f"/api/v1/work-orders/{order.pk}/").json()
        listing = client.get("/api/v1/clocks/", {"state": "breached"}).json()
    assert re.search(r'data-rule="complaint_dispatch"\s+data-state="breached"', page)
    told = page[page.index('data-testid="told"') :]
    assert told.index("reception") < told.index("</div>")  # who was told of the breach, and when
    assert re.search(r'data-rule="same_day_reply"\s+data-state="running"', page)
    assert order.number in board[board.index('data-testid="breached"') :]
    assert {c["rule"]: c["state"] for c in api["clocks"]}[Rule.COMPLAINT_DISPATCH] == "breached"
    assert [c["work_order"] for c in listing["results"]] == [order.number]
    # Another office's staff see none of it.
    client.force_login(staff("outsider", Role.HEAD, other_office))
    assert client.get("/api/v1/clocks/").json()["results"] == []
    assert order.number not in client.get(reverse("timerules:board")).text


def test_a_clock_met_while_paused_moves_its_due_time_by_the_hold(bsw, reception, repair_team):
    """An office that pauses the same-day reply on hold: answered the next morning after a day
    on hold, the reply was in time (the hold's day does not count against it)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from estate.timerules.clocks import ensure_policies
    from estate.timerules.models import KEPT, Clock
    from estate.workorders import actions

    def at(text):
        return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai"))

    ensure_policies(bsw)
    ClockPolicy.objects.filter(office=bsw, rule="same_day_reply").update(pauses_on_hold=True)
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        order = actions.open_work_order(
            office=bsw, by=reception, channel="desk", kind="repair", description="漏水",
            location="大堂", service_unit=repair_team,
        )  # fmt: skip
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        actions.hold(order, reason="等零件", resume_on=None, by=reception, channel="desk")
    with time_machine.travel(at("2026-11-27 10:00"), tick=False):
        actions.update_requester(
            order, reply_channel="phone", text="零件明天到", by=reception, channel="desk"
        )
    clock = Clock.objects.get(work_order=order, rule="same_day_reply")
    assert clock.state == "met"
    assert clock.due_at == at("2026-11-27 23:59:59")  # the end of 26 Nov plus the day on hold
    assert Clock.objects.filter(KEPT, pk=clock.pk).exists()


def test_a_breach_is_stamped_at_its_deadline_and_escalates_from_it_after_an_outage(
    bsw, reception, head, manager
):
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        order = complaint(bsw, reception)
    # The scheduler was down from 09:00 to 11:00; the dispatch deadline was 09:10.
    late = scheduler.sweep(at("2026-11-26 11:00"))
    dispatch = clock(order, Rule.COMPLAINT_DISPATCH)
    assert dispatch.breached_at == at("2026-11-26 09:10")
    # The head hears an hour after the deadline, that is at once, not at 12:00.
    assert late.escalated == 2
    assert Notification.objects.filter(kind="clock_breach", recipient=head).count() == 1


def test_weekly_contact_breaches_once_for_every_silent_week_even_across_an_outage(
    bsw, reception, manager
):
    with time_machine.travel(at("2026-11-02 09:00"), tick=False):
        order = complaint(bsw, reception)
    # The scheduler was down for three weeks; nobody called the requester.
    scheduler.sweep(at("2026-11-23 10:00"))
    weekly = list(
        Clock.objects.filter(work_order=order, rule=Rule.WEEKLY_CONTACT).order_by("due_at")
    )
    assert [(c.state, c.due_at) for c in weekly] == [
        (ClockState.BREACHED, at("2026-11-09 09:00")),
        (ClockState.RUNNING, at("2026-11-16 09:00")),
    ]
    # Each sweep catches up one more week; every week is one breach and one chase.
    scheduler.sweep(at("2026-11-23 10:00"))
    scheduler.sweep(at("2026-11-23 10:00"))
    weekly = list(
        Clock.objects.filter(work_order=order, rule=Rule.WEEKLY_CONTACT).order_by("due_at")
    )
    assert [c.breached_at for c in weekly if c.state == ClockState.BREACHED] == [
        at("2026-11-09 09:00"),
        at("2026-11-16 09:00"),
        at("2026-11-23 09:00"),
    ]
    assert weekly[-1].state == ClockState.RUNNING
    assert weekly[-1].due_at == at("2026-11-30 09:00")
    chased = Notification.objects.filter(
        kind="clock_breach", recipient=manager, text__contains="每週"
    ).count()
    assert chased == 3
    # A contact at last meets the running week and rolls on from it.
    with time_machine.travel(at("2026-11-24 15:00"), tick=False):
        actions.update_requester(
            order, reply_channel="phone", text="已聯繫", by=reception, channel="desk"
        )
    assert Clock.objects.filter(
        work_order=order, rule=Rule.WEEKLY_CONTACT, state="running"
    ).get().due_at == at("2026-12-01 15:00")
