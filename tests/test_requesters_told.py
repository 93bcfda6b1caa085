"""The requester is told (事事有著落，件件有回音): a message at every step of their order, in the
portal inbox always and by the channels they consented to; held in their quiet hours; each
delivery sent once, retried when a failure may pass and then given to the desk; replies by
text come back onto the order."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from estate.accounts.models import User
from estate.frontdesk.models import Contact, ServiceItem
from estate.messaging import actions, sending
from estate.messaging.choices import Channel, ConsentSource, DeliveryState, Kind
from estate.messaging.inbound import take_reply
from estate.messaging.models import Delivery, Message
from estate.messaging.sms import DeliveryFailed
from estate.notifications.models import Notification
from estate.properties.models import Resident, Unit
from estate.timerules.choices import ClockState, Rule
from estate.workorders import actions as work_orders
from estate.workorders.models import WorkOrder
from tests.factories import PASSWORD

SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)  # a Tuesday, out of quiet hours


@pytest.fixture
def at_ten():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def chen(bsw):
    user = User.objects.create_user(username="chen", password=PASSWORD)
    Resident.objects.filter(phone="13812341234").update(user=user)
    return Resident.objects.get(phone="13812341234")


@pytest.fixture
def texts_ok(chen):
    actions.record_consent(
        resident=chen, channel=Channel.SMS, granted=True, source=ConsentSource.PORTAL
    )
    return chen


@pytest.fixture
def tap(bsw, repair_team):
    return ServiceItem.objects.create(
        office=bsw, name="水龍頭維修", kind="repair", procedure="上門檢查", fee_kind="free",
        service_unit=repair_team,
    )  # fmt: skip


def portal_report(client, chen, tap):
    client.force_login(chen.user)
    home = Unit.objects.get(address="3-1202")
    client.post(
        reverse("portal:report"),
        {"service_item": tap.pk, "unit": home.pk, "description": "廚房水龍頭漏水"},
    )
    return WorkOrder.objects.get()


def told(order):
    return list(Message.objects.filter(work_order=order).order_by("created_at", "id"))


def test_a_portal_report_is_acknowledged_with_its_number_and_each_step_is_told(
    client, at_ten, bsw, reception, repair_team, worker, tap, texts_ok, sms_outbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        order = portal_report(client, texts_ok, tap)
    received = told(order)[0]
    assert received.kind == Kind.RECEIVED
    assert order.number in received.text
    assert "已受理" in received.text  # Traditional Chinese, the default
    assert sms_outbox[0][0] == "13812341234"
    assert order.number in sms_outbox[0][1]
    delivery = received.deliveries.get()
    assert delivery.state == DeliveryState.SENT
    acknowledged = order.clocks.get(rule=Rule.ACKNOWLEDGED)
    assert acknowledged.state == ClockState.MET
    assert acknowledged.met_at - acknowledged.started_at <= timedelta(minutes=3)

    with django_capture_on_commit_callbacks(execute=True):
        order = work_orders.dispatch(
            order, service_unit=repair_team, assignee=worker, by=reception, channel="desk"
        )
        order = work_orders.accept(order, by=worker, channel="field")
        order = work_orders.complete(
            order, work_done="更換了水龍頭墊圈", by=worker, channel="field"
        )
        work_orders.reply(
            order, reply_channel="sms", text="水龍頭已修好，謝謝您的耐心。", by=reception,
            channel="desk",
        )  # fmt: skip
    kinds = [m.kind for m in told(order)]
    assert kinds == [Kind.RECEIVED, Kind.DISPATCHED, Kind.COMPLETED, Kind.REPLY, Kind.RATE]
    dispatched, completed, reply, rate = told(order)[1:]
    assert "維修班" in dispatched.text
    assert "更換了水龍頭墊圈" in completed.text
    assert "水龍頭已修好，謝謝您的耐心。" in reply.text  # the office's words are what is sent
    assert reverse("portal:order", args=[order.pk]) in rate.text
    assert len(sms_outbox) == 5
    assert all(d.state == DeliveryState.SENT for d in Delivery.objects.all())


def test_without_consent_the_message_is_only_in_the_portal_inbox(
    client, at_ten, bsw, reception, tap, chen, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = portal_report(client, chen, tap)
    message = told(order)[0]
    assert not message.deliveries.exists()
    assert sms_outbox == []
    # The portal showed it at once: the acknowledgement is met when it is written.
    assert order.clocks.get(rule=Rule.ACKNOWLEDGED).state == ClockState.MET
    page = client.get(reverse("portal:messages"))
    assert order.number in page.content.decode()
    message.refresh_from_db()
    assert message.read_at is not None  # the read receipt


def test_quiet_hours_hold_a_message_until_they_end(
    bsw, reception, repair_team, texts_ok, sms_outbox, django_capture_on_commit_callbacks
):
    late = datetime(2026, 3, 10, 23, 30, tzinfo=SHANGHAI)
    with time_machine.travel(late, tick=False), django_capture_on_commit_callbacks(execute=True):
        order = work_orders.open_work_order(
            office=bsw, by=reception, channel="desk", kind="repair", description="門鈴壞了",
            unit=Unit.objects.get(address="3-1202"), requester=texts_ok, service_unit=repair_team,
        )  # fmt: skip
    held = Delivery.objects.filter(message__work_order=order)
    assert {d.state for d in held} == {DeliveryState.HELD}
    assert {d.next_try_at for d in held} == {datetime(2026, 3, 11, 7, 0, tzinfo=SHANGHAI)}
    assert sms_outbox == []
    with (
        time_machine.travel(late + timedelta(hours=4), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sending.sweep() == 0  # still night
    with (
        time_machine.travel(datetime(2026, 3, 11, 7, 1, tzinfo=SHANGHAI), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sending.sweep() == 2  # received and dispatched
    assert {d.state for d in held.all()} == {DeliveryState.SENT}
    assert len(sms_outbox) == 2


def test_news_of_an_emergency_is_not_held_for_quiet_hours(
    bsw, reception, repair_team, texts_ok, sms_outbox, django_capture_on_commit_callbacks
):
    late = datetime(2026, 3, 10, 23, 30, tzinfo=SHANGHAI)
    with time_machine.travel(late, tick=False), django_capture_on_commit_callbacks(execute=True):
        order = work_orders.open_work_order(
            office=bsw, by=reception, channel="desk", kind="repair", description="水管爆裂",
            unit=Unit.objects.get(address="3-1202"), requester=texts_ok, service_unit=repair_team,
            is_emergency=True,
        )  # fmt: skip
    assert {d.state for d in Delivery.objects.filter(message__work_order=order)} == {
        DeliveryState.SENT
    }
    assert len(sms_outbox) == 2  # received and dispatched, at 23:30


def test_one_delivery_per_event_person_and_channel_however_often_it_is_sent(
    at_ten, bsw, texts_ok, sms_outbox, django_capture_on_commit_callbacks
):
    to = actions.Recipient(resident=texts_ok)
    with django_capture_on_commit_callbacks(execute=True):
        first = actions.tell(
            office=bsw, kind=Kind.NOTICE, to=to, values={"title": "電梯保養"}, key="notice:1"
        )
        again = actions.tell(
            office=bsw, kind=Kind.NOTICE, to=to, values={"title": "電梯保養"}, key="notice:1"
        )
    assert first is not None
    assert again is None
    delivery = first.deliveries.get()
    assert sending.send_delivery.call(delivery.pk) == DeliveryState.SENT  # a retried task
    assert len(sms_outbox) == 1
    # A worker that died holding the claim: the sweep sends again with the same key.
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENDING, claimed_at=MORNING - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.sweep() == 1
    assert {key for _phone, _text, key in sms_outbox} == {delivery.idempotency_key}


class FlakyGateway:
    """A provider that is down (a failure that may pass) or refuses for good."""

    needs_templates = False
    retry = True

    def send(self, sms):
        raise DeliveryFailed("服務商暫時不可用", retry=self.retry)

    def registered_parameters(self, sign_name, template_code):
        raise LookupError(template_code)


@pytest.fixture
def provider_down(settings):
    from estate.messaging.sms import sms_gateway

    settings.SMS_GATEWAY = "tests.test_requesters_told.FlakyGateway"
    sms_gateway.cache_clear()
    yield FlakyGateway
    sms_gateway.cache_clear()


def test_an_outage_never_blocks_the_step_it_is_retried_then_the_desk_calls(
    client, bsw, reception, repair_team, texts_ok, provider_down, django_capture_on_commit_callbacks
):
    with time_machine.travel(MORNING, tick=False), django_capture_on_commit_callbacks(execute=True):
        order = work_orders.open_work_order(
            office=bsw, by=reception, channel="desk", kind="repair", description="門鈴壞了",
            unit=Unit.objects.get(address="3-1202"), requester=texts_ok, dispatch_now=False,
        )  # fmt: skip
    assert order.pk  # the order is open although the provider is down
    delivery = Delivery.objects.get(message__work_order=order)
    assert (delivery.state, delivery.tries) == (DeliveryState.PENDING, 1)
    assert delivery.next_try_at == MORNING + timedelta(minutes=1)
    moment = MORNING
    for wait in sending.BACKOFF:
        moment += wait
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert sending.sweep() == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.tries) == (DeliveryState.FAILED, 6)
    assert delivery.error == "服務商暫時不可用"
    alert = Notification.objects.get(kind="message_unreached", recipient=reception)
    assert "3-1202" in alert.text
    assert "服務商暫時不可用" in alert.text
    client.force_login(reception)
    page = client.get(reverse("messaging:unreached")).content.decode()
    assert order.number in page
    assert "服務商暫時不可用" in page
    client.post(reverse("messaging:settle", args=[delivery.pk]), {"note": "已致電告知"})
    delivery.refresh_from_db()
    assert (delivery.settled_by, delivery.settled_note) == (reception, "已致電告知")
    assert order.number not in client.get(reverse("messaging:unreached")).content.decode()


def test_a_refusal_that_will_not_pass_fails_at_once(
    at_ten, bsw, texts_ok, provider_down, django_capture_on_commit_callbacks
):
    provider_down.retry = False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            message = actions.tell(
                office=bsw, kind=Kind.NOTICE, to=actions.Recipient(resident=texts_ok),
                values={"title": "電梯保養"}, key="notice:2",
            )  # fmt: skip
    finally:
        provider_down.retry = True
    assert message.deliveries.get().state == DeliveryState.FAILED


def test_a_number_that_is_not_a_mainland_mobile_is_refused_for_texts(
    at_ten, bsw, texts_ok, sms_outbox, django_capture_on_commit_callbacks
):
    Resident.objects.filter(pk=texts_ok.pk).update(phone="85212345678")
    texts_ok.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        message = actions.tell(
            office=bsw, kind=Kind.NOTICE, to=actions.Recipient(resident=texts_ok),
            values={"title": "電梯保養"}, key="notice:3",
        )  # fmt: skip
    delivery = message.deliveries.get()
    assert delivery.state == DeliveryState.FAILED
    assert "不是內地手機號碼" in delivery.error
    assert sms_outbox == []


def test_withdrawing_consent_stops_the_channel_at_once(
    bsw, reception, repair_team, texts_ok, sms_outbox, django_capture_on_commit_callbacks
):
    late = datetime(2026, 3, 10, 23, 30, tzinfo=SHANGHAI)
    with time_machine.travel(late, tick=False), django_capture_on_commit_callbacks(execute=True):
        actions.tell(
            office=bsw, kind=Kind.NOTICE, to=actions.Recipient(resident=texts_ok),
            values={"title": "電梯保養"}, key="notice:4",
        )  # fmt: skip
        actions.record_consent(
            resident=texts_ok, channel=Channel.SMS, granted=False, source=ConsentSource.PORTAL
        )
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.CANCELLED
    with (
        time_machine.travel(late + timedelta(hours=8), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sending.sweep() == 0
    assert sms_outbox == []
    assert texts_ok.consents.count() == 2  # both kept, with time and source (PIPL)


def test_a_text_back_lands_on_the_order_it_answers(
    at_ten, bsw, reception, repair_team, worker, leaking_pipe, texts_ok, sms_outbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    order = leaking_pipe
    WorkOrder.objects.filter(pk=order.pk).update(requester=texts_ok)
    order.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        work_orders.promise(
            order, promised_at=MORNING + timedelta(hours=3), reason="師傅在另一單", by=reception,
            channel="desk",
        )  # fmt: skip
        contact = take_reply(
            office=bsw, channel="sms", sender="+8613812341234", text="下午三點後家裡才有人",
            at=MORNING + timedelta(minutes=5),
        )  # fmt: skip
    assert contact.follows_up == order
    assert contact.requester == texts_ok
    assert contact.taken_by is None
    assert contact.channel == "sms"
    assert order.events.filter(action="comment", note__contains="下午三點後家裡才有人").exists()


def test_a_text_from_a_stranger_is_a_new_request_acknowledged_by_text(
    at_ten, bsw, reception, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = take_reply(
            office=bsw, channel="sms", sender="13700001234", text="5棟電梯卡住了", at=MORNING
        )
    order = contact.work_orders.get()
    assert (order.status, order.requester_phone, order.accountable) == (
        "new",
        "13700001234",
        reception,
    )
    assert order.events.get(action="open").channel == "sms"
    assert sms_outbox[0][0] == "13700001234"
    assert order.number in sms_outbox[0][1]
    assert order.clocks.get(rule=Rule.ACKNOWLEDGED).state == ClockState.MET
    assert order.clocks.get(rule=Rule.ONLINE_DISPATCH).state == ClockState.RUNNING
    assert Contact.objects.get().outcome == "work_order"


def test_the_office_writes_its_own_words_checked_and_previewed(client, at_ten, bsw, head, chen):
    client.force_login(head)
    url = reverse("messaging:edit_template", args=["received", "zh-hant"])
    page = client.post(url, {"text": "收到 {numbr}", "do": "preview"}).content.decode()
    assert "「{numbr}」不是這類消息的佔位符" in page
    page = client.post(url, {"text": "碧水灣收到您的報事 {number}。", "do": "preview"})
    assert "碧水灣收到您的報事 BSW-2612-0001。" in page.content.decode()
    client.post(url, {"text": "碧水灣收到您的報事 {number}。", "do": "save"})
    message = actions.tell(
        office=bsw, kind=Kind.RECEIVED, to=actions.Recipient(resident=chen),
        values={"number": "BSW-1"}, key="x",
    )  # fmt: skip
    assert message.text == "碧水灣收到您的報事 BSW-1。"


def test_a_template_with_a_forbidden_phrase_is_refused(at_ten, bsw, head):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        actions.save_template(
            office=bsw, kind=Kind.REPLY, language="zh-hant", text="{text} 急什麼，等一下。", by=head
        )
    assert "text" in refused.value.message_dict


def test_a_person_is_told_in_the_language_they_chose(
    client, at_ten, bsw, chen, django_capture_on_commit_callbacks
):
    client.force_login(chen.user)
    client.post(
        reverse("portal:message_preferences"),
        {"language": "zh-hans", "quiet_from": "22:00", "quiet_until": "07:00"},
    )
    message = actions.tell(
        office=bsw, kind=Kind.RESUMED, to=actions.Recipient(resident=chen),
        values={"number": "BSW-1"}, key="y",
    )  # fmt: skip
    assert "已恢复处理" in message.text


def test_the_portal_records_each_consent_with_its_time_and_source(client, at_ten, bsw, chen):
    client.force_login(chen.user)
    form = {"sms": "on", "language": "", "quiet_from": "21:00", "quiet_until": "08:00"}
    client.post(reverse("portal:message_preferences"), form)
    consent = chen.consents.get()
    assert (consent.channel, consent.granted, consent.source) == ("sms", True, "portal")
    assert consent.at == MORNING
    assert chen.message_preferences.quiet_from == time(21, 0)
    page = client.post(reverse("portal:message_preferences"), {**form, "email": "on"})
    assert "我們沒有您的電郵地址" in page.content.decode()


def test_the_dashboard_counts_requesters_told_in_time_and_deliveries_that_got_through(
    bsw, reception, repair_team, texts_ok, provider_down, django_capture_on_commit_callbacks
):
    from estate.reports.dashboard import dashboard
    from estate.reports.drill import drill
    from estate.reports.periods import Period

    home = Unit.objects.get(address="3-1202")
    with time_machine.travel(MORNING, tick=False), django_capture_on_commit_callbacks(execute=True):
        # Provider down: the text fails, 3-1202 is not reached.
        work_orders.open_work_order(
            office=bsw, by=reception, channel="desk", kind="repair", description="門鈴壞了",
            unit=home, requester=texts_ok, dispatch_now=False,
        )  # fmt: skip
    provider_down.retry = False
    Resident.objects.filter(pk=texts_ok.pk).update(phone="13812340000")
    try:
        with (
            time_machine.travel(MORNING + timedelta(hours=1), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            texts_ok.refresh_from_db()
            work_orders.open_work_order(
                office=bsw, by=reception, channel="desk", kind="repair", description="燈不亮",
                unit=home, requester=texts_ok, dispatch_now=False,
            )  # fmt: skip
    finally:
        provider_down.retry = True
    # Told by the inbox alone (no other channel): reached at once.
    actions.record_consent(
        resident=texts_ok, channel=Channel.SMS, granted=False, source=ConsentSource.PORTAL
    )
    with time_machine.travel(MORNING + timedelta(hours=2), tick=False):
        work_orders.open_work_order(
            office=bsw, by=reception, channel="desk", kind="repair", description="窗戶關不上",
            unit=home, requester=texts_ok, dispatch_now=False,
        )  # fmt: skip
    with time_machine.travel(MORNING + timedelta(days=1), tick=False):
        figures = dashboard([bsw], Period.month_of(MORNING.date()), today=MORNING.date())[0].figures
        told_in_time, delivered = figures["told_in_time"], figures["messages_delivered"]
        assert (told_in_time.part, told_in_time.whole) == (1, 3)  # the inbox one only
        assert (delivered.part, delivered.whole) == (0, 1)  # one failed; one still retrying
        rows = drill("messages_delivered", bsw, Period.month_of(MORNING.date())).rows
    assert [cell.text for cell in rows[0]][2:] == ["短信", "未能送達", "服務商暫時不可用"]
    assert rows[0][3].missed
