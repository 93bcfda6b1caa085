"""碧水灣's recent past: a few jobs of the last two weeks, replayed at the times they happened, so
the figures show what a real office has: most deadlines kept, a few missed, and each miss with
its person and its deadline.

The actions and the scheduler run as they would have then (``time_machine`` moves the clock),
so every breach is recorded by the real sweep at its deadline. The messages those breaches sent
then are not sent again now: their deliveries are marked skipped and their notifications read,
and nothing in the demo is past due when ``make run`` starts.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from estate.accounts.models import User
from estate.frontdesk import actions as frontdesk
from estate.frontdesk.choices import Channel, Outcome
from estate.notifications.models import Delivery, Notification
from estate.properties.models import Office, ServiceUnit, Unit
from estate.timerules import scheduler
from estate.visits import actions as visits
from estate.visits.choices import Satisfaction, VisitChannel
from estate.visits.models import ReturnVisit
from estate.workorders import actions as work_orders
from estate.workorders.choices import EventChannel, Kind, ReplyChannel
from estate.workorders.models import WorkOrder

DESK = EventChannel.DESK
MARK = "歷史"  # in each replayed contact's notes, so a second seeding finds them


def _weekday_before(today: date, days: int) -> date:
    day = today - timedelta(days=days)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _at(office: Office, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(office.timezone))


class _Replay:
    """Runs each step at its moment, with the scheduler sweeping up to it first."""

    def __init__(self) -> None:
        self.started = timezone.now()

    def at(self, moment: datetime) -> time_machine.travel:
        scheduler_moment = moment - timedelta(seconds=1)
        with time_machine.travel(scheduler_moment, tick=False):
            scheduler.sweep(scheduler_moment)
        return time_machine.travel(moment, tick=False)


def seed_history(
    office: Office,
    users: dict[str, User],
    service_units: dict[tuple[str, str], ServiceUnit],
    created: Counter[str],
) -> None:
    if WorkOrder.objects.filter(office=office, contact__notes=MARK).exists():
        return
    today = timezone.localdate()
    reception, worker = users["reception"], users["worker"]
    lead, manager = users["repair_lead"], users["manager"]
    repair = service_units[(office.code, "維修班")]
    units = list(Unit.objects.filter(office=office).order_by("address")[40:43])
    replay = _Replay()
    first_notice = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def call(unit: Unit, intent: str, kind: str = Kind.REPAIR, **order: object) -> WorkOrder:
        _contact, opened, _referral = frontdesk.take_contact(
            office=office,
            by=reception,
            contact={
                "channel": Channel.CALL,
                "kind": kind,
                "intent": intent,
                "outcome": Outcome.WORK_ORDER,
                "unit": unit,
                "notes": MARK,
            },
            order={"description": intent, **order},
            event_channel=DESK,
        )
        assert opened is not None
        created["past work orders"] += 1
        return opened

    # Nine days ago: a leak mended the next morning, so the same-day completion and reply were
    # missed by the worker and the desk.
    day = _weekday_before(today, 9)
    with replay.at(_at(office, day, 16, 20)):
        late = call(units[0], "衛生間地漏反水", service_unit=repair, assignee=worker)
        work_orders.accept(late, by=worker, channel=DESK)
    with replay.at(_at(office, day + timedelta(days=1), 9, 40)):
        late = work_orders.complete(
            late,
            work_done="疏通地漏並更換存水彎",
            materials_used="存水彎一個",
            by=worker,
            channel=DESK,
        )
    with replay.at(_at(office, day + timedelta(days=1), 10, 30)):
        late = work_orders.reply(
            late, reply_channel=ReplyChannel.PHONE, text="地漏已疏通，存水彎已更換。",
            by=reception, channel=DESK,
        )  # fmt: skip
    # Six days ago: a door closer fixed within the day, every deadline kept.
    day = _weekday_before(today, 6)
    with replay.at(_at(office, day, 9, 5)):
        kept = call(units[1], "單元門閉門器漏油，門關不上", service_unit=repair)
    with replay.at(_at(office, day, 9, 20)):
        kept = work_orders.assign(kept, assignee=worker, by=lead, channel=DESK)
        kept = work_orders.accept(kept, by=worker, channel=DESK)
    with replay.at(_at(office, day, 11, 0)):
        kept = work_orders.complete(kept, work_done="更換閉門器", by=worker, channel=DESK)
    with replay.at(_at(office, day, 15, 0)):
        kept = work_orders.reply(
            kept, reply_channel=ReplyChannel.PHONE, text="閉門器已更換，門可以正常關閉了。",
            by=reception, channel=DESK,
        )  # fmt: skip
    # Four days ago: a complaint about noise at night, given to the manager at once and
    # answered the same day.
    day = _weekday_before(today, 4)
    with replay.at(_at(office, day, 10, 0)):
        noise = call(units[2], "樓上夜間裝修噪音", kind=Kind.COMPLAINT)
    with replay.at(_at(office, day, 10, 6)):
        noise = work_orders.accept(noise, by=noise.assignee or manager, channel=DESK)
    with replay.at(_at(office, day, 16, 0)):
        noise = work_orders.complete(
            noise,
            work_done="已與樓上住戶溝通，晚上 8 點後停止施工",
            by=noise.assignee or manager,
            channel=DESK,
        )
        noise = work_orders.reply(
            noise, reply_channel=ReplyChannel.PHONE, text="已與樓上住戶溝通，晚上 8 點後停止施工。",
            by=manager, channel=DESK,
        )  # fmt: skip
    # The return calls of the past, made on time; then the orders are closed.
    for order in (late, kept, noise):
        visit = ReturnVisit.objects.filter(work_order=order).first()
        done_at = order.completed_at or order.opened_at
        if visit is not None:
            caller = visit.assigned_to or reception
            if visits.worked_on(order, caller):
                caller = users["head"]
            with replay.at(timezone.localtime(done_at) + timedelta(hours=3)):
                visits.record_visit(
                    visit,
                    by=caller,
                    channel=VisitChannel.PHONE,
                    reached=True,
                    score=Satisfaction.SATISFIED,
                )
                order.refresh_from_db()
                work_orders.close(order, by=reception, channel=DESK)
    scheduler.sweep(replay.started)
    # What the past sent, it sent then.
    past = Notification.objects.filter(id__gt=first_notice, office=office)
    Delivery.objects.filter(notification__in=past, result=Delivery.Result.PENDING).update(
        result=Delivery.Result.SKIPPED, error="demo history: sent at the time"
    )
    past.filter(read_at__isnull=True).update(read_at=replay.started)
