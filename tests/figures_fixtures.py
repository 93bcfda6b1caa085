"""A hand-made November for the figures (dashboard, evaluation, browser): shared helpers and
the ``november`` fixture, loaded for every test through ``pytest_plugins``."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from estate.frontdesk.models import CallRecord, DutyShift
from estate.notices.models import Notice
from estate.reports.periods import Period
from estate.timerules.scheduler import sweep
from estate.visits import actions as visits
from estate.visits.models import CommonIssue, ReturnVisit
from estate.workorders import actions

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = "2026-11-26 10:00"
NOVEMBER = Period.month_of(date(2026, 11, 1))


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def complaint(office, by, when):
    with time_machine.travel(at(when), tick=False):
        return actions.open_work_order(
            office=office, by=by, channel="desk", kind="complaint", description="噪音", location="大堂"
        )  # fmt: skip


def dispatch(order, team, by, when, assignee=None):
    """To ``team``, and to ``assignee`` in it when given (a complaint's clock stops only when a
    manager or the head is assigned: R-A2.0)."""
    with time_machine.travel(at(when), tick=False):
        actions.dispatch(order, service_unit=team, assignee=assignee, by=by, channel="desk")


def repaired_and_rated(office, reception, worker, team, when, score):
    with time_machine.travel(at(when), tick=False):
        order = actions.open_work_order(
            office=office, by=reception, channel="desk", kind="repair", description="漏水",
            location="大堂", service_unit=team, assignee=worker,
        )  # fmt: skip
        actions.accept(order, by=worker, channel="desk")
        actions.complete(order, work_done="修好", by=worker, channel="desk")
        visit = ReturnVisit.objects.get(work_order=order)
        visits.record_visit(visit, by=reception, channel="phone", reached=True, score=score)
    return order


@pytest.fixture
def november(bsw, reception, head, repair_team, worker):
    """Calls: 10 s, 15 s, 16 s and one unanswered (and one in October).
    Complaints: given to the head in 5 minutes; given to the head after 20 (breached); not
    dispatched yet.
    Repairs rated 5 and 2. Common issues: answered by a notice in time; due and unanswered;
    not due yet. Window: a shift on 2 November from 8:30 to 12:00 and 13:00 to 17:30."""
    for number, (rang, seconds, answered) in enumerate(
        [
            ("2026-11-05 09:00", 10, True),
            ("2026-11-05 09:10", 15, True),
            ("2026-11-06 09:00", 16, True),
            ("2026-11-06 11:00", None, False),
            ("2026-10-31 09:00", 5, True),
        ]
    ):
        CallRecord.objects.create(
            office=bsw, call_id=f"c{number}", rang_at=at(rang), ring_seconds=seconds, answered=answered
        )  # fmt: skip
    kept = complaint(bsw, reception, "2026-11-02 10:00")
    dispatch(kept, repair_team, reception, "2026-11-02 10:05", assignee=head)
    late = complaint(bsw, reception, "2026-11-03 10:00")
    with time_machine.travel(at("2026-11-03 10:11"), tick=False):
        sweep()
    dispatch(late, repair_team, reception, "2026-11-03 10:20", assignee=head)
    complaint(bsw, reception, "2026-11-25 10:00")
    repaired_and_rated(bsw, reception, worker, repair_team, "2026-11-04 09:00", 5)
    repaired_and_rated(bsw, reception, worker, repair_team, "2026-11-04 09:30", 2)
    notice = Notice.objects.create(
        office=bsw, title="停水", body="週五停水", starts_on=date(2026, 11, 9), written_by=head,
        published_by=head, published_at=at("2026-11-09 16:00"),
    )  # fmt: skip
    CommonIssue.objects.create(
        office=bsw, title="停水", households=5, notice_due_at=at("2026-11-10 10:00"), notice=notice
    )
    CommonIssue.objects.create(
        office=bsw, title="電梯", households=6, notice_due_at=at("2026-11-20 10:00")
    )
    CommonIssue.objects.create(
        office=bsw, title="噪音", households=5, notice_due_at=at("2026-11-30 10:00")
    )
    for starts, ends in ((time(8, 30), time(12)), (time(13), time(17, 30))):
        DutyShift.objects.create(
            office=bsw, staff_member=reception, day=date(2026, 11, 2), starts_at=starts, ends_at=ends
        )  # fmt: skip
    return bsw
