"""The requester is told, by the channel they chose (here: text messages, through the Alibaba
Cloud SMS adapter speaking to its local stand-in): 3-1202 reports a leak in the portal and,
without anybody doing anything extra, gets the acknowledgement with the number, the dispatch,
the completion, the office's reply and the invitation to rate; the text they send back appears
on the order at the desk."""

import json
import urllib.request
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from estate.accounts.models import User
from estate.frontdesk.models import ServiceItem
from estate.messaging.choices import Kind
from estate.messaging.registry import register_sms_template
from estate.properties.models import Resident
from estate.timerules.choices import ClockState, Rule
from estate.workorders import actions
from estate.workorders.models import WorkOrder
from tests.browser.steps import do, sign_in
from tests.factories import PASSWORD
from tests.sms_fixtures import SIGN_NAME

# The office's templates as approved at the provider, and the placeholders they take.
TEMPLATES = {
    Kind.RECEIVED: ("SMS_490001", "您的報修${number}（${subject}）已受理。", ["number", "subject"]),
    Kind.DISPATCHED: ("SMS_490002", "報修${number}已派給${team}，預計${expected}到場。", ["number", "team", "expected"]),
    Kind.COMPLETED: ("SMS_490003", "報修${number}已完成：${work_done}", ["number", "work_done"]),
    Kind.REPLY: ("SMS_490004", "報修${number}的回覆：${text}", ["number", "text"]),
    Kind.RATE: ("SMS_490005", "報修${number}處理得怎樣？請在網上評價。", ["number"]),
}  # fmt: skip


@pytest.fixture(autouse=True)
def _daytime():
    """Ten in the morning in the office, out of the resident's quiet hours (22:00-07:00)."""
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        yield


def test_a_portal_report_is_told_at_each_step_by_text_and_a_text_back_lands_on_the_order(
    page: Page, live_server, transactional_db, bsw, reception, worker, repair_team, aliyun,
    callback_token,
):  # fmt: skip
    for kind, (code, content, parameters) in TEMPLATES.items():
        aliyun.templates[code] = content
        register_sms_template(
            office=bsw, kind=kind, sign_name=SIGN_NAME, template_code=code,
            parameters=parameters, by=None,
        )  # fmt: skip
    chen = User.objects.create_user(username="chen", password=PASSWORD)
    Resident.objects.filter(phone="13812341234").update(user=chen)
    ServiceItem.objects.create(
        office=bsw, name="水管漏水", kind="repair", procedure="上門檢查", fee_kind="free",
        service_unit=repair_team,
    )  # fmt: skip
    base = live_server.url

    # The resident chooses text messages, then reports the leak from their phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/portal/sign-in/")
    page.locator("[name=phone]").fill("138 1234 1234")
    page.locator("[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_test_id("sign-in-password").click()
    page.get_by_test_id("messages").click()
    page.get_by_test_id("message-preferences").click()
    page.locator("[name=sms]").check()
    with page.expect_navigation():
        page.get_by_test_id("preferences-form").locator("button[type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")
    page.goto(f"{base}/portal/")
    page.get_by_test_id("report").click()
    page.locator("[name=service_item]").select_option(label="水管漏水")
    page.locator("[name=unit]").select_option(label="3-1202")
    page.locator("[name=description]").fill("廚房水管漏水，地上都是水")
    with page.expect_navigation():
        page.get_by_test_id("send-report").click()
    order = WorkOrder.objects.get()

    first = aliyun.sent[0]
    assert (first.phone, first.sign_name, first.template_code) == (
        "13812341234",
        SIGN_NAME,
        "SMS_490001",
    )
    assert first.parameters == {"number": order.number, "subject": "水管漏水"}
    acknowledged = order.clocks.get(rule=Rule.ACKNOWLEDGED)
    assert acknowledged.state == ClockState.MET  # within 3 minutes: at once

    # The desk dispatches, the team does the job, the desk replies: nobody sends anything extra.
    sign_in(page, base, "reception")
    page.goto(f"{base}/orders/{order.pk}/")
    do(page, "dispatch", selects={"service_unit": "維修班"})
    order.refresh_from_db()
    actions.assign(order, assignee=worker, by=reception, channel="desk")
    actions.accept(order, by=worker, channel="field")
    actions.complete(order, work_done="更換了水管接頭", by=worker, channel="field")
    page.goto(f"{base}/orders/{order.pk}/")
    do(page, "reply", fields={"text": "水管已修好，謝謝您"}, selects={"reply_channel": "短信告知"})
    codes = [sent.template_code for sent in aliyun.sent]
    assert codes == ["SMS_490001", "SMS_490002", "SMS_490003", "SMS_490004", "SMS_490005"]
    assert aliyun.sent[1].parameters["team"] == "維修班"
    assert aliyun.sent[2].parameters["work_done"] == "更換了水管接頭"
    assert aliyun.sent[3].parameters["text"] == "水管已修好，謝謝您"  # the office's own words
    told = page.get_by_test_id("told")
    expect(told.get_by_test_id("delivery")).to_have_count(5)
    expect(told.get_by_test_id("delivery").first).to_contain_text("已發送")

    # The resident texts back; the provider posts it to estate, and it is on the order.
    body = [{"phone_number": "13812341234", "send_time": "2026-03-02 11:20:00",
             "content": "好的，謝謝師傅", "sign_name": SIGN_NAME, "dest_code": "1234",
             "sequence_id": 1}]  # fmt: skip
    request = urllib.request.Request(
        f"{base}/hooks/sms/aliyun/replies/?token={callback_token}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as answer:
        assert json.load(answer) == {"code": 0, "msg": "成功"}
    page.goto(f"{base}/orders/{order.pk}/")
    expect(page.get_by_test_id("timeline")).to_contain_text("好的，謝謝師傅")

    # And the portal inbox holds every message, the newest first.
    page.context.clear_cookies()
    page.goto(f"{base}/portal/sign-in/")
    page.locator("[name=phone]").fill("138 1234 1234")
    page.locator("[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_test_id("sign-in-password").click()
    expect(page.get_by_test_id("unread")).to_have_text("5")
    page.get_by_test_id("messages").click()
    messages = page.get_by_test_id("message")
    expect(messages).to_have_count(5)
    expect(messages.first).to_contain_text("評價")
    expect(messages.last).to_contain_text(order.number)
