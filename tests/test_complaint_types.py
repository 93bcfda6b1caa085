"""Complaint types (R-A2.2–A2.4, R-A1.6): who answers, by when, and rectifications after attitude complaints."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from estate.notifications.models import Notification
from estate.timerules.choices import ClockState, Rule
from estate.timerules.models import Clock
from estate.workorders import actions, policy, rectifications
from estate.workorders.choices import Action

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def complaint(office, by, **fields):
    defaults = {"channel": "desk", "kind": "complaint", "description": "投訴", "location": "3棟"}
    return actions.open_work_order(office=office, by=by, **{**defaults, **fields})


def rules(order):
    return set(Clock.objects.filter(work_order=order).values_list("rule", flat=True))


def test_a_complaint_without_a_type_is_general(bsw, reception):
    order = complaint(bsw, reception)
    assert order.complaint_type == "general"
    assert Rule.HEAD_SAME_DAY not in rules(order)
    assert not Notification.objects.filter(kind="complaint_for_head").exists()


def test_important_complaint_goes_to_the_head_with_two_working_days(bsw, reception, head):
    with time_machine.travel(at("2026-09-30 10:00"), tick=False):
        order = complaint(bsw, reception, complaint_type="written", is_important=True)
    assert Notification.objects.get(kind="complaint_for_head").recipient == head
    important = Clock.objects.get(work_order=order, rule=Rule.IMPORTANT_COMPLAINT)
    assert important.due_at == at("2026-10-09 23:59:59")
    assert Rule.SAME_DAY_REPLY in rules(order)  # written: the result is replied the same day
    assert Rule.HEAD_SAME_DAY not in rules(order)  # by a manager as well as the head (R-A2.2)


def test_only_the_heads_answer_meets_the_head_clocks(bsw, reception, head):
    order = complaint(bsw, reception, complaint_type="attitude")
    actions.update_requester(
        order, reply_channel="phone", text="已記錄，主任稍後回覆", by=reception, channel="desk"
    )
    assert Clock.objects.get(work_order=order, rule=Rule.HEAD_SAME_DAY).state == ClockState.RUNNING
    actions.update_requester(
        order, reply_channel="visit", text="主任當面致歉並說明處理", by=head, channel="desk"
    )
    assert Clock.objects.get(work_order=order, rule=Rule.HEAD_SAME_DAY).state == ClockState.MET


def test_attitude_complaint_rectification_tracked_until_done(client, bsw, reception, head, worker):
    order = complaint(bsw, reception, complaint_type="attitude", description="維修工態度惡劣")
    assert policy.may(head, Action.RECTIFY, order)
    assert not policy.may(reception, Action.RECTIFY, order)
    rectification = rectifications.set_rectification(
        order, staff_member=worker, measures="參加禮儀培訓並向業主致歉", deadline=date(2026, 12, 3),
        penalty="通報批評", by=head, channel="desk",
    )  # fmt: skip
    assert Notification.objects.filter(kind="rectification", recipient=worker).exists()
    client.force_login(head)
    page = client.get(reverse("workorders:detail", args=[order.pk])).text
    assert "參加禮儀培訓並向業主致歉" in page
    assert 'data-testid="action-rectified"' in page
    rectifications.finish_rectification(
        order, rectification=rectification, note="已完成培訓", by=head, channel="desk"
    )
    rectification.refresh_from_db()
    assert rectification.done_at is not None
    with pytest.raises(ValidationError):
        rectifications.finish_rectification(
            order, rectification=rectification, note="again", by=head, channel="desk"
        )
    assert list(
        order.events.filter(action__in=["rectify", "rectified"]).values_list("action", flat=True)
    ) == [
        "rectify",
        "rectified",
    ]


def test_rectification_only_for_attitude_complaints(bsw, reception, head):
    order = complaint(bsw, reception, complaint_type="general")
    assert not policy.may(head, Action.RECTIFY, order)


def test_console_records_the_complaint_type(client, reception, head, bsw):
    client.force_login(reception)
    client.post(
        reverse("frontdesk:console"),
        {"office": bsw.pk, "channel": "written", "kind": "complaint", "outcome": "work_order", "unit": "3-1202",
         "intent": "書面投訴：樓上漏水無人處理", "order-complaint_type": "written", "order-is_important": "on"},
    )  # fmt: skip
    order = Clock.objects.get(rule=Rule.IMPORTANT_COMPLAINT).work_order
    assert (order.complaint_type, order.is_important) == ("written", True)
