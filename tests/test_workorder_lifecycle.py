"""The 服務工作單 lifecycle: numbering, the transition table, the timeline, accountability."""

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from estate.notifications.models import Notification
from estate.properties.models import ServiceUnit, Unit
from estate.workorders import actions, photos, policy
from estate.workorders.choices import Action, Status
from estate.workorders.models import Reply, WorkOrder
from tests.files import PNG


def open_order(office, by, **fields):
    defaults = {
        "channel": "desk",
        "kind": "repair",
        "description": "廚房漏水",
        "location": "3棟電梯",
    }
    return actions.open_work_order(office=office, by=by, **{**defaults, **fields})


@time_machine.travel("2026-11-26 09:00 +0800", tick=False)
def test_numbers_carry_office_prefix_local_date_and_a_daily_sequence(bsw, reception, other_office):
    first = open_order(bsw, reception)
    second = open_order(bsw, reception)
    assert (first.number, second.number) == ("BSW-20261126-0001", "BSW-20261126-0002")
    with time_machine.travel("2026-11-27 00:30 +0800", tick=False):
        assert open_order(bsw, reception).number == "BSW-20261127-0001"


@time_machine.travel("2026-11-26 23:30 +0000", tick=False)
def test_the_date_in_the_number_is_the_offices_local_date(bsw, reception):
    # 23:30 UTC is already 07:30 on the 27th in Shanghai.
    assert open_order(bsw, reception).number == "BSW-20261127-0001"


def test_the_whole_lifecycle_leaves_a_timeline_in_order(
    bsw, reception, repair_lead, worker, leaking_pipe
):
    order = leaking_pipe
    assert order.status == Status.DISPATCHED
    assert order.requester.name == "陳美玲"  # found from the unit's household
    order = actions.assign(order, assignee=worker, by=repair_lead, channel="desk")
    order = actions.accept(order, by=worker, channel="desk")
    order = actions.start(order, by=worker, channel="desk")
    order = actions.complete(
        order,
        work_done="更換水管接頭",
        materials_used="接頭 1 個",
        fee_charged=Decimal("35.00"),
        by=worker,
        channel="desk",
    )
    order = actions.reply(
        order, reply_channel="phone", text="已修好，請查看", by=reception, channel="desk"
    )
    order = actions.close(order, by=reception, channel="desk")
    assert order.status == Status.CLOSED
    steps = list(order.events.values_list("action", "from_status", "to_status", "actor__username"))
    assert steps == [
        ("open", "", "new", "reception"),
        ("dispatch", "new", "dispatched", "reception"),
        ("assign", "dispatched", "dispatched", "repair_lead"),
        ("accept", "dispatched", "accepted", "worker"),
        ("start", "accepted", "in_progress", "worker"),
        ("complete", "in_progress", "completed", "worker"),
        ("reply", "completed", "replied", "reception"),
        ("close", "replied", "closed", "reception"),
    ]
    assert order.fee_charged == Decimal("35.00")
    final = Reply.objects.get(work_order=order)
    assert (final.channel, final.is_final, final.replied_by) == ("phone", True, reception)
    assert all(
        getattr(order, f)
        for f in ("dispatched_at", "accepted_at", "completed_at", "replied_at", "closed_at")
    )


def test_no_order_closes_without_a_reply(bsw, reception, worker, leaking_pipe):
    order = actions.accept(leaking_pipe, by=worker, channel="desk")
    order = actions.complete(order, work_done="修好", by=worker, channel="desk")
    with pytest.raises(actions.TransitionRefused, match=r"(?i)completed|已完成"):
        actions.close(order, by=reception, channel="desk")
    order.refresh_from_db()
    assert order.status == Status.COMPLETED
    assert not order.events.filter(action=Action.CLOSE).exists()


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [
        ("accept", {}),
        ("start", {}),
        ("complete", {"work_done": "x"}),
        ("reply", {"reply_channel": "phone", "text": "x"}),
        ("close", {}),
        ("resume", {}),
    ],
)
def test_actions_not_allowed_from_new_are_refused_and_change_nothing(
    bsw, reception, action, kwargs
):
    order = open_order(bsw, reception)
    before = order.events.count()
    with pytest.raises(actions.TransitionRefused):
        getattr(actions, action)(order, by=reception, channel="desk", **kwargs)
    order.refresh_from_db()
    assert order.status == Status.NEW
    assert order.events.count() == before


def test_a_stale_copy_cannot_act_twice(bsw, reception, repair_team, worker):
    order = open_order(bsw, reception)
    stale = WorkOrder.objects.get(pk=order.pk)
    actions.dispatch(order, service_unit=repair_team, by=reception, channel="desk")
    with pytest.raises(actions.TransitionRefused):
        actions.dispatch(
            stale, service_unit=repair_team, assignee=worker, by=reception, channel="desk"
        )
    assert WorkOrder.objects.get(pk=order.pk).assignee is None
    assert order.events.filter(action=Action.DISPATCH).count() == 1


def test_the_first_receiver_stays_accountable_across_transfers(
    bsw, reception, leaking_pipe, repair_lead
):
    cleaning = ServiceUnit.objects.create(office=bsw, name="清潔班", kind="cleaning", scope="清潔")
    order = actions.transfer(
        leaking_pipe, service_unit=cleaning, reason="是污水清理", by=repair_lead, channel="desk"
    )
    assert order.service_unit == cleaning
    assert order.accountable == reception
    event = order.events.get(action=Action.TRANSFER)
    assert event.note == "是污水清理"
    assert event.data["service_unit"] == "清潔班"


def test_transfer_return_hold_cancel_and_reopen_need_a_reason(
    bsw, reception, leaking_pipe, repair_team, worker
):
    with pytest.raises(ValidationError) as error:
        actions.transfer(
            leaking_pipe, service_unit=repair_team, reason=" ", by=reception, channel="desk"
        )
    assert "reason" in error.value.message_dict
    for call in (
        lambda: actions.return_to_desk(leaking_pipe, reason="", by=worker, channel="desk"),
        lambda: actions.hold(leaking_pipe, reason="", resume_on=None, by=worker, channel="desk"),
        lambda: actions.cancel(leaking_pipe, reason="", by=reception, channel="desk"),
    ):
        with pytest.raises(ValidationError):
            call()
    assert leaking_pipe.events.count() == 2  # open, dispatch


def test_hold_and_resume_return_to_the_status_held_from(bsw, worker, leaking_pipe):
    order = actions.accept(leaking_pipe, by=worker, channel="desk")
    order = actions.start(order, by=worker, channel="desk")
    order = actions.hold(order, reason="等配件", resume_on=None, by=worker, channel="desk")
    assert (order.status, order.held_from, order.hold_reason) == (
        Status.ON_HOLD,
        Status.IN_PROGRESS,
        "等配件",
    )
    order = actions.resume(order, by=worker, channel="desk")
    assert (order.status, order.held_from, order.hold_reason) == (Status.IN_PROGRESS, "", "")


def test_reopen_when_the_requester_is_not_satisfied(
    bsw, reception, worker, repair_team, leaking_pipe
):
    order = actions.accept(leaking_pipe, by=worker, channel="desk")
    order = actions.complete(order, work_done="修好", by=worker, channel="desk")
    order = actions.reply(order, reply_channel="phone", text="修好了", by=reception, channel="desk")
    order = actions.reopen(order, reason="還在滴水", by=reception, channel="desk")
    assert order.status == Status.REOPENED
    assert order.completed_at is None
    order = actions.dispatch(
        order, service_unit=repair_team, assignee=worker, by=reception, channel="desk"
    )
    assert order.status == Status.DISPATCHED


def test_promise_is_recorded_as_told(bsw, reception, leaking_pipe):
    from datetime import timedelta

    when = leaking_pipe.opened_at + timedelta(days=1)
    order = actions.promise(
        leaking_pipe, promised_at=when, reason="需訂購配件", by=reception, channel="phone"
    )
    assert (order.promised_at, order.promise_reason) == (when, "需訂購配件")
    assert order.events.filter(action=Action.PROMISE, channel="phone").exists()


def test_dispatch_notifies_the_assignee_or_the_team_lead(
    bsw, reception, repair_team, repair_lead, worker
):
    open_order(bsw, reception, service_unit=repair_team)
    assert (
        Notification.objects.filter(recipient=repair_lead, kind="work_order_dispatched").count()
        == 1
    )
    open_order(bsw, reception, service_unit=repair_team, assignee=worker)
    assert Notification.objects.filter(recipient=worker).count() == 1


def test_orders_refuse_units_of_another_office(bsw, reception, other_office):
    foreign = Unit.objects.get(office=other_office)
    with pytest.raises(ValidationError) as error:
        open_order(bsw, reception, unit=foreign)
    assert "unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        open_order(bsw, reception, location="")
    assert "location" in error.value.message_dict
    assert not WorkOrder.objects.exists()


def test_policy_who_may_do_what(bsw, reception, repair_lead, worker, leaking_pipe, leader):
    order = leaking_pipe
    assert policy.may(reception, Action.DISPATCH, order)
    assert not policy.may(reception, Action.ACCEPT, order)
    assert policy.may(worker, Action.ACCEPT, order)  # in the team it was sent to
    assert not policy.may(worker, Action.DISPATCH, order)
    assert policy.may(repair_lead, Action.ASSIGN, order)
    assert not policy.may(repair_lead, Action.CLOSE, order)
    assert not policy.may(leader, Action.ACCEPT, order)
    assert set(policy.allowed_actions(worker, order)) >= {
        Action.ACCEPT,
        Action.HOLD,
        Action.COMMENT,
    }
    assert Action.COMPLETE not in policy.allowed_actions(worker, order)  # not accepted yet
    with pytest.raises(PermissionDenied):
        policy.check(worker, Action.CANCEL, order)


def test_team_of_another_unit_cannot_work_the_order(bsw, reception, leaking_pipe):
    from estate.accounts.models import StaffRole
    from estate.accounts.roles import Role
    from tests.factories import staff

    cleaning = ServiceUnit.objects.create(office=bsw, name="清潔班", kind="cleaning", scope="清潔")
    cleaner = staff("cleaner", Role.WORKER, bsw)
    StaffRole.objects.filter(user=cleaner).update(service_unit=cleaning)
    assert not policy.may(cleaner, Action.ACCEPT, leaking_pipe)


def test_photos_are_checked_for_type_and_size(bsw, reception, leaking_pipe, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = photos.attach_photo(
        leaking_pipe, upload=SimpleUploadedFile("水管.png", PNG), by=reception, channel="desk"
    )
    assert attachment.content_type == "image/png"
    assert leaking_pipe.events.filter(action=Action.ATTACH, note="水管.png").exists()
    with pytest.raises(ValidationError) as wrong_type:
        photos.attach_photo(
            leaking_pipe,
            upload=SimpleUploadedFile("evil.png", b"<?php echo 1;"),
            by=reception,
            channel="desk",
        )
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as too_big:
        photos.attach_photo(leaking_pipe, upload=big, by=reception, channel="desk")
    assert "file" in wrong_type.value.message_dict
    assert "10 MB" in too_big.value.message_dict["file"][0]
    assert leaking_pipe.attachments.count() == 1


def test_photos_are_shown_only_to_those_who_may_see_the_order(
    client, bsw, other_office, reception, leaking_pipe, settings, tmp_path
):
    from estate.accounts.roles import Role
    from tests.factories import staff

    settings.MEDIA_ROOT = tmp_path
    photo = photos.attach_photo(
        leaking_pipe, upload=SimpleUploadedFile("水管.png", PNG), by=reception, channel="desk"
    )
    url = reverse("workorders:photo", args=[leaking_pipe.pk, photo.pk])
    client.force_login(reception)
    page = client.get(reverse("workorders:detail", args=[leaking_pipe.pk])).content.decode()
    assert f'src="{url}"' in page
    shown = client.get(url)
    assert shown["Content-Type"] == "image/png"
    assert b"".join(shown.streaming_content).startswith(b"\x89PNG\r\n\x1a\n")
    assert shown["X-Content-Type-Options"] == "nosniff"
    client.force_login(staff("outsider", Role.RECEPTIONIST, other_office))
    assert client.get(url).status_code == 404


def test_a_complaint_without_a_handler_goes_to_the_manager_on_duty_else_in_turn(bsw, reception):
    from datetime import time

    import time_machine
    from django.utils import timezone

    from estate.accounts.roles import Role
    from estate.frontdesk.models import DutyShift
    from estate.notifications.models import Notification
    from estate.timerules.choices import ClockState, Rule
    from estate.timerules.models import Clock
    from tests.factories import staff

    wang, li = staff("wang", Role.MANAGER, bsw), staff("li", Role.MANAGER, bsw)
    staff("head", Role.HEAD, bsw)

    def complaint(text):
        return actions.open_work_order(
            office=bsw, by=reception, channel="desk", kind="complaint", description=text,
            location="3棟",
        )  # fmt: skip

    with time_machine.travel("2026-11-26 10:00 +08:00", tick=False):
        first, second, third = complaint("噪音"), complaint("佔用車位"), complaint("電梯異響")
        # In turn: the one given a complaint longest ago (never, first), then the other.
        assert [first.assignee, second.assignee, third.assignee] == [wang, li, wang]
        assert first.status == "dispatched"
        assert first.service_unit is None
        clock = Clock.objects.get(work_order=first, rule=Rule.COMPLAINT_DISPATCH)
        assert clock.state == ClockState.MET
        assert (
            Notification.objects.filter(recipient=wang, kind="work_order_dispatched").count() == 2
        )
        DutyShift.objects.create(
            office=bsw, day=timezone.localdate(), starts_at=time(9), ends_at=time(12),
            staff_member=li,
        )  # fmt: skip
        assert complaint("垃圾未清").assignee == li  # the manager on duty comes first
        # The manager handles it as an assignee does.
        actions.accept(first, by=wang, channel="desk")


def test_a_complaint_sent_to_a_team_gets_a_manager_too(bsw, reception, repair_team):
    """R-A2.0: the desk chose the team that will do the work; a manager is arranged as well, so
    the complaint's 10-minute rule is kept and the team still sees the order."""
    from estate.accounts.roles import Role
    from estate.timerules.choices import ClockState, Rule
    from estate.timerules.models import Clock
    from tests.factories import staff

    wang = staff("wang", Role.MANAGER, bsw)
    order = actions.open_work_order(
        office=bsw, by=reception, channel="desk", kind="complaint", description="維修後漏水",
        location="3棟", service_unit=repair_team,
    )  # fmt: skip
    assert (order.assignee, order.service_unit, order.status) == (wang, repair_team, "dispatched")
    assert Clock.objects.get(work_order=order, rule=Rule.COMPLAINT_DISPATCH).state == (
        ClockState.MET
    )
