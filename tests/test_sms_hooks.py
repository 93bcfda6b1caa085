"""The providers' callbacks: delivery receipts settle deliveries, replies by SMS reach the
office whose signature they answer; a caller without the shared token changes nothing."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from estate.messaging import inbound
from estate.messaging.choices import Channel, DeliveryState, Kind
from estate.messaging.models import Delivery, Message, SmsTemplate
from estate.messaging.receipts import parse_receipts
from estate.messaging.replies import parse_replies
from tests.sms_fixtures import SIGN_NAME

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def sent_delivery(office, provider_id: str) -> Delivery:
    message = Message.objects.create(
        office=office,
        kind=Kind.RECEIVED,
        key=f"order-1-received-{provider_id}",
        recipient_key="phone:1",
        language="zh-hant",
        text="您的報修已受理",
        created_at=datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING),
    )
    return Delivery.objects.create(
        message=message,
        channel=Channel.SMS,
        address="13812341234",
        state=DeliveryState.SENT,
        provider_id=provider_id,
        sent_at=datetime(2026, 3, 2, 10, 0, 5, tzinfo=BEIJING),
    )


def aliyun_report(biz_id: str, *, success: bool) -> list[dict]:
    return [
        {
            "phone_number": "13812341234",
            "send_time": "2026-03-02 10:00:05",
            "report_time": "2026-03-02 10:00:09",
            "success": success,
            "err_code": "DELIVERED" if success else "MK:0001",
            "err_msg": "用户接收成功" if success else "空号",
            "sms_size": "1",
            "biz_id": biz_id,
            "out_id": "estate-message-1",
        }
    ]


def tencent_report(sid: str, *, success: bool) -> list[dict]:
    return [
        {
            "user_receive_time": "2026-03-02 10:00:09",
            "nationcode": "86",
            "mobile": "13812341234",
            "report_status": "SUCCESS" if success else "FAIL",
            "errmsg": "DELIVRD" if success else "MN:0001",
            "description": "用户短信送达成功" if success else "空号",
            "sid": sid,
        }
    ]


def post(client, path: str, body, token: str):
    return client.post(
        f"{path}?token={token}", data=json.dumps(body), content_type="application/json"
    )


# --- receipts --------------------------------------------------------------------------------


def test_parse_receipts_of_both_providers():
    [ali] = parse_receipts(
        "aliyun", json.dumps(aliyun_report("900619746936498441^0", success=False))
    )
    assert (ali.provider_id, ali.delivered, ali.code) == ("900619746936498441^0", False, "MK:0001")
    [ten] = parse_receipts("tencent", json.dumps(tencent_report("2019:538", success=True)))
    assert (ten.provider_id, ten.delivered) == ("2019:538", True)
    assert ten.at == datetime(2026, 3, 2, 10, 0, 9, tzinfo=BEIJING)
    with pytest.raises(ValueError, match="not JSON"):
        parse_receipts("aliyun", b"not json")
    with pytest.raises(ValueError, match="without a message id"):
        parse_receipts("tencent", json.dumps([{"report_status": "SUCCESS"}]))


def test_aliyun_receipt_marks_the_delivery_delivered(bsw, client, callback_token):
    delivery = sent_delivery(bsw, "900619746936498441^0")
    answer = post(
        client,
        "/hooks/sms/aliyun/receipts/",
        aliyun_report("900619746936498441^0", success=True),
        callback_token,
    )
    assert answer.status_code == 200
    assert answer.json() == {"code": 0, "msg": "成功"}
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.delivered_at == datetime(2026, 3, 2, 10, 0, 9, tzinfo=BEIJING)


def test_tencent_failed_receipt_marks_the_delivery_failed_with_the_reason(
    bsw, client, callback_token
):
    delivery = sent_delivery(bsw, "2019:5382946839061090001")
    answer = post(
        client,
        "/hooks/sms/tencent/receipts/",
        tencent_report("2019:5382946839061090001", success=False),
        callback_token,
    )
    assert answer.json() == {"result": 0, "errmsg": "OK"}
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert "MN:0001" in delivery.error
    assert "空号" in delivery.error
    assert delivery.delivered_at is None


def test_a_receipt_told_twice_changes_nothing_the_second_time(bsw, client, callback_token):
    delivery = sent_delivery(bsw, "2019:1")
    post(
        client,
        "/hooks/sms/tencent/receipts/",
        tencent_report("2019:1", success=True),
        callback_token,
    )
    post(
        client,
        "/hooks/sms/tencent/receipts/",
        tencent_report("2019:1", success=False),
        callback_token,
    )
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED


def test_forged_receipt_is_refused(bsw, client, callback_token):
    delivery = sent_delivery(bsw, "2019:1")
    answer = post(
        client, "/hooks/sms/tencent/receipts/", tencent_report("2019:1", success=False), "guess"
    )
    assert answer.status_code == 403
    no_token = client.post(
        "/hooks/sms/tencent/receipts/",
        data=json.dumps(tencent_report("2019:1", success=False)),
        content_type="application/json",
    )
    assert no_token.status_code == 403
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT


def test_callbacks_are_off_without_a_token(bsw, client, settings):
    settings.SMS_CALLBACK_TOKEN = ""
    answer = post(client, "/hooks/sms/aliyun/receipts/", [], "")
    assert answer.status_code == 404


def test_unreadable_receipt_is_answered_as_a_failure(client, callback_token):
    answer = client.post(
        f"/hooks/sms/aliyun/receipts/?token={callback_token}",
        data=b"<xml/>",
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["code"] != 0


def test_unknown_provider_is_not_found(client, callback_token):
    assert post(client, "/hooks/sms/other/receipts/", [], callback_token).status_code == 404


# --- replies ---------------------------------------------------------------------------------


def test_parse_aliyun_replies():
    body = [
        {
            "phone_number": "13812341234",
            "send_time": "2026-03-02 11:20:00",
            "content": "好的，謝謝",
            "sign_name": SIGN_NAME,
            "dest_code": "1234",
            "sequence_id": 1234567890,
        }
    ]
    [reply] = parse_replies("aliyun", json.dumps(body))
    assert (reply.phone, reply.text, reply.sign_name) == ("13812341234", "好的，謝謝", SIGN_NAME)
    assert reply.at == datetime(2026, 3, 2, 11, 20, tzinfo=BEIJING)


def test_parse_tencent_replies_with_either_time():
    unix = {"extend": "", "mobile": "13812341234", "nationcode": "86", "sign": SIGN_NAME,
            "text": "明天上午可以", "time": 1772421600}  # fmt: skip
    written = {"mobile": "+8613812341234", "nationcode": "86", "sign": SIGN_NAME,
               "text": "收到", "reply_time": "2026-03-02 11:20:00"}  # fmt: skip
    abroad = {"mobile": "91234567", "nationcode": "852", "sign": SIGN_NAME, "text": "ok", "time": 1}
    [first] = parse_replies("tencent", json.dumps(unix))
    assert first.at == datetime(2026, 3, 2, 11, 20, tzinfo=BEIJING)
    second, = parse_replies("tencent", json.dumps([written, abroad]))  # fmt: skip
    assert (second.phone, second.text) == ("13812341234", "收到")
    assert second.at == datetime(2026, 3, 2, 11, 20, tzinfo=BEIJING)


@pytest.fixture
def taken(monkeypatch):
    """take_reply is the lead's (estate/messaging/inbound.py): record its calls instead."""
    calls: list[dict] = []
    monkeypatch.setattr(inbound, "take_reply", lambda **given: calls.append(given))
    return calls


def test_reply_goes_to_the_office_using_the_signature(
    bsw, other_office, client, callback_token, taken
):
    SmsTemplate.objects.create(
        office=other_office, kind=Kind.RECEIVED, sign_name="翠湖物業", template_code="SMS_1"
    )
    SmsTemplate.objects.create(
        office=bsw, kind=Kind.RECEIVED, sign_name=SIGN_NAME, template_code="SMS_2"
    )
    body = {"mobile": "13812341234", "nationcode": "86", "sign": SIGN_NAME, "text": "明天上午可以",
            "time": 1772421600}  # fmt: skip
    answer = post(client, "/hooks/sms/tencent/replies/", body, callback_token)
    assert answer.json() == {"result": 0, "errmsg": "OK"}
    assert taken == [
        {
            "office": bsw,
            "channel": "sms",
            "sender": "13812341234",
            "text": "明天上午可以",
            "at": datetime(2026, 3, 2, 11, 20, tzinfo=BEIJING),
        }
    ]


def test_reply_to_an_unknown_signature_goes_to_the_only_office(bsw, client, callback_token, taken):
    body = [{"phone_number": "13812341234", "send_time": "2026-03-02 11:20:00", "content": "好",
             "sign_name": "舊簽名"}]  # fmt: skip
    answer = post(client, "/hooks/sms/aliyun/replies/", body, callback_token)
    assert answer.json() == {"code": 0, "msg": "成功"}
    assert [call["office"] for call in taken] == [bsw]


def test_reply_no_office_can_be_found_for_is_ignored(
    bsw, other_office, client, callback_token, taken
):
    body = [{"phone_number": "13812341234", "send_time": "2026-03-02 11:20:00", "content": "好",
             "sign_name": "舊簽名"}]  # fmt: skip
    answer = post(client, "/hooks/sms/aliyun/replies/", body, callback_token)
    assert answer.status_code == 200
    assert taken == []


def test_forged_reply_is_refused(bsw, client, callback_token, taken):
    body = [{"phone_number": "13812341234", "content": "好", "sign_name": SIGN_NAME}]
    assert post(client, "/hooks/sms/aliyun/replies/", body, "guess").status_code == 403
    assert taken == []
