"""Common issues: grouped from complaints and opinions, a notice due within a week at five households."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from estate.notices import actions as notices
from estate.notifications.models import Notification
from estate.visits import common
from estate.visits.models import CommonIssue
from estate.workorders import actions
from tests.factories import ResidentFactory, unit_at

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)

LIFT = ["3棟電梯又壞了，老人下不了樓", "电梯停在两层之间，关了人", "我們這棟的電梯天天故障，什麼時候修好？",
        "電梯按鈕失靈，門也關不上", "电梯运行时晃得厉害，请维保单位检修", "電梯年檢合格證過期了"]  # fmt: skip
BINS = ["12棟垃圾站臭得不行，蒼蠅很多", "垃圾房好几天没冲洗了，味道很大"]


def complain(office, by, text, address):
    unit = unit_at(office, address)
    ResidentFactory(household__unit=unit)
    return actions.open_work_order(
        office=office, by=by, channel="desk", kind="complaint", description=text, unit=unit
    )


def test_five_households_on_one_matter_make_a_notice_due_within_a_week(bsw, reception, head):
    with time_machine.travel(NOW, tick=False):
        for n, text in enumerate(LIFT):
            complain(bsw, reception, text, f"3-{n + 301}")
        for n, text in enumerate(BINS):
            complain(bsw, reception, text, f"12-{n + 101}")
        issues = common.regroup(bsw, NOW)
    by_size = sorted(issues, key=lambda issue: -issue.households)
    lift, bins = by_size[0], by_size[1]
    assert lift.households == 6
    assert lift.notice_due_at == NOW + timedelta(days=7)
    assert (bins.households, bins.notice_due_at) == (2, None)
    assert Notification.objects.filter(kind="common_issue", recipient=head).count() == 1
    with time_machine.travel(NOW, tick=False):
        again = common.regroup(bsw, NOW)
    assert {i.pk for i in again} == {lift.pk, bins.pk}  # stable: the same issues, not new ones
    assert Notification.objects.filter(kind="common_issue").count() == 1


def test_a_late_notice_is_flagged_once_and_a_notice_answers_the_issue(bsw, reception, head):
    with time_machine.travel(NOW, tick=False):
        for n, text in enumerate(LIFT[:5]):
            complain(bsw, reception, text, f"3-{n + 301}")
        (lift,) = [i for i in common.regroup(bsw, NOW) if i.households == 5]
    assert common.sweep_overdue(NOW + timedelta(days=6)) == 0
    assert common.sweep_overdue(NOW + timedelta(days=8)) == 1
    assert common.sweep_overdue(NOW + timedelta(days=9)) == 0
    notice = notices.write_notice(
        office=bsw,
        by=reception,
        title="3棟電梯維修安排",
        body="已更換主機板。",
        starts_on=NOW.date(),
    )
    answered = common.answer_with_notice(lift, notice)
    assert answered.notice == notice


def test_staff_merge_and_split_survive_regrouping(bsw, reception, head):
    with time_machine.travel(NOW, tick=False):
        for n, text in enumerate(LIFT[:3]):
            complain(bsw, reception, text, f"3-{n + 301}")
        for n, text in enumerate(BINS):
            complain(bsw, reception, text, f"12-{n + 101}")
        lift, bins = sorted(common.regroup(bsw, NOW), key=lambda issue: -issue.households)
        merged = common.merge(lift, bins, by=head)
        assert merged.households == 5
        common.regroup(bsw, NOW)
        assert CommonIssue.objects.get(pk=merged.pk).members.count() == 5
        member = merged.members.order_by("id").first()
        alone = common.split(member, by=head)
        common.regroup(bsw, NOW)
        assert list(alone.members.all()) == [member]
        assert CommonIssue.objects.get(pk=merged.pk).households == 4


def test_issue_page_shows_groups_and_staff_can_merge(client, bsw, reception, head):
    from django.core.management import call_command
    from django.urls import reverse

    for n, text in enumerate(LIFT[:2]):
        complain(bsw, reception, text, f"3-{n + 301}")
    for n, text in enumerate(BINS):
        complain(bsw, reception, text, f"12-{n + 101}")
    call_command("run_scheduler", "--once", verbosity=0)  # the scheduler regroups
    client.force_login(reception)
    page = client.get(reverse("visits:issues")).text
    assert page.count('data-testid="issue"') == 2
    lift, bins = sorted(
        CommonIssue.objects.all(),
        key=lambda issue: "電梯" not in issue.title and "电梯" not in issue.title,
    )
    client.post(reverse("visits:issue_action", args=[lift.pk]), {"do": "merge", "other": bins.pk})
    assert CommonIssue.objects.get(pk=lift.pk).households == 4
    assert not CommonIssue.objects.filter(pk=bins.pk).exists()


def test_a_prominent_issue_sends_a_manager_to_each_household_once(bsw, reception, head):
    from estate.accounts.roles import Role
    from estate.visits.models import ReturnVisit
    from tests.factories import staff

    manager = staff("manager", Role.MANAGER, bsw)
    with time_machine.travel(NOW, tick=False):
        for n, text in enumerate(BINS):
            complain(bsw, reception, text, f"12-{n + 101}")
        (bins,) = common.regroup(bsw, NOW)
        visits = common.arrange_home_visits(bins, by=head)
        again = common.arrange_home_visits(bins, by=head)
    assert len(visits) == 2
    assert again == []
    assert {(v.kind, v.assigned_to, v.due_at) for v in visits} == {
        ("home", manager, NOW + timedelta(days=3))
    }
    assert ReturnVisit.objects.filter(kind="home").count() == 2
    assert Notification.objects.filter(kind="home_visit", recipient=manager).exists()
