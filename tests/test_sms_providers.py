"""The mainland SMS adapters, each speaking to a local server that checks its signature and
answers as the provider does (tests/stubs/sms_providers.py)."""

from __future__ import annotations

import hashlib
import socket

import pytest

from estate.messaging.models import SmsSend
from estate.messaging.providers import aliyun as aliyun_api
from estate.messaging.providers import tencent as tencent_api
from estate.messaging.sms import DeliveryFailed, Sms, sms_gateway
from tests.sms_fixtures import SIGN_NAME

pytestmark = pytest.mark.django_db

PHONE = "13812341234"


def aliyun_sms(key: str = "estate-message-1", **parameters: str) -> Sms:
    return Sms(
        phone=PHONE,
        text="您的報修BSW-2612-0001已受理",
        key=key,
        sign_name=SIGN_NAME,
        template_code="SMS_480001",
        parameters=parameters or {"number": "BSW-2612-0001", "subject": "廚房水管漏水"},
    )


def tencent_sms(key: str = "estate-message-1", *values: str) -> Sms:
    filled = values or ("BSW-2612-0001", "廚房水管漏水")
    return Sms(
        phone=PHONE,
        text="您的報修BSW-2612-0001已受理",
        key=key,
        sign_name=SIGN_NAME,
        template_code="2001001",
        parameters=dict(zip(("number", "subject"), filled, strict=False)),
    )


def closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


# --- signing, against the providers' own worked examples -----------------------------------


def test_aliyun_signature_matches_the_documented_example():
    parameters = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    assert aliyun_api.signature("GET", parameters, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
    assert aliyun_api.percent_encode("a b*c~d/") == "a%20b%2Ac~d%2F"


def test_tencent_canonical_request_matches_the_documented_example():
    payload = b'{"Limit": 1, "Filters": [{"Values": ["unnamed"], "Name": "instance-name"}]}'
    canonical = tencent_api.canonical_request(
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Host": "cvm.tencentcloudapi.com",
        },
        signed_headers="content-type;host",
        payload=payload,
    )
    assert hashlib.sha256(canonical.encode()).hexdigest() == (
        "2815843035062fffda5fd6f2a44ea8a34818b0dc46f024b8b3786976a3adda7a"
    )
    scope, _signed = tencent_api.signature(
        secret_key="x", timestamp=1551113065, service="cvm", canonical=canonical
    )
    assert scope == "2019-02-25/cvm/tc3_request"


# --- Alibaba Cloud ---------------------------------------------------------------------------


def test_aliyun_sends_the_registered_template_with_its_parameters(aliyun):
    biz_id = sms_gateway().send(aliyun_sms())

    [sent] = aliyun.sent
    assert biz_id == sent.message_id
    assert (sent.phone, sent.sign_name, sent.template_code) == (PHONE, SIGN_NAME, "SMS_480001")
    assert sent.parameters == {"number": "BSW-2612-0001", "subject": "廚房水管漏水"}
    assert sent.key == "estate-message-1"  # OutId: comes back in the receipt
    assert (
        sent.text == "【碧水灣物業】您的報修BSW-2612-0001（廚房水管漏水）已受理，我們會盡快處理。"
    )
    [request] = aliyun.requests
    assert (request["Action"], request["Format"], request["Version"]) == (
        "SendSms",
        "JSON",
        "2017-05-25",
    )


def test_aliyun_retry_with_the_same_key_sends_one_text(aliyun):
    first = sms_gateway().send(aliyun_sms())
    again = sms_gateway().send(aliyun_sms())

    assert again == first
    assert aliyun.keys() == {"estate-message-1": 1}
    assert len(aliyun.requests) == 1  # the second try did not reach the provider at all


def test_aliyun_refused_text_is_sent_when_tried_again(aliyun):
    aliyun.fail_next("isv.BUSINESS_LIMIT_CONTROL")
    with pytest.raises(DeliveryFailed) as refused:
        sms_gateway().send(aliyun_sms())
    assert refused.value.retry

    biz_id = sms_gateway().send(aliyun_sms())

    assert aliyun.keys() == {"estate-message-1": 1}
    assert SmsSend.objects.get(key="estate-message-1").provider_id == biz_id


@pytest.mark.parametrize(
    ("code", "retry"),
    [
        ("isv.SMS_TEMPLATE_ILLEGAL", False),
        ("isv.SMS_SIGNATURE_ILLEGAL", False),
        ("isv.MOBILE_NUMBER_ILLEGAL", False),
        ("isv.BUSINESS_LIMIT_CONTROL", True),
        ("isv.DAY_LIMIT_CONTROL", True),
        ("isv.AMOUNT_NOT_ENOUGH", True),
        ("isp.SYSTEM_ERROR", True),
    ],
)
def test_aliyun_error_codes_read_as_the_office_needs_them(aliyun, code, retry):
    aliyun.fail_next(code)
    with pytest.raises(DeliveryFailed) as refused:
        sms_gateway().send(aliyun_sms())

    assert (refused.value.code, refused.value.retry) == (code, retry)
    assert str(refused.value) == str(aliyun_api.REASONS[code][0])
    assert code not in str(refused.value)  # words for the office, not the provider's code
    assert aliyun.sent == []


def test_aliyun_unknown_error_code_is_named(aliyun):
    aliyun.fail_next("isv.SOMETHING_NEW")
    with pytest.raises(DeliveryFailed) as refused:
        sms_gateway().send(aliyun_sms())
    assert "isv.SOMETHING_NEW" in str(refused.value)
    assert not refused.value.retry


def test_aliyun_real_refusals_from_the_stub(aliyun):
    wrong_sign = Sms(**{**aliyun_sms().__dict__, "sign_name": "別的簽名"})
    with pytest.raises(DeliveryFailed) as refused:
        sms_gateway().send(wrong_sign)
    assert refused.value.code == "isv.SMS_SIGNATURE_ILLEGAL"

    missing = aliyun_sms("estate-message-2", number="BSW-2612-0001")
    with pytest.raises(DeliveryFailed) as refused:
        sms_gateway().send(missing)
    assert refused.value.code == "isv.TEMPLATE_MISSING_PARAMETERS"


def test_aliyun_wrong_secret_is_refused_by_the_signature_check(aliyun, settings):
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "not-the-secret"
    sms_gateway.cache_clear()
    with pytest.raises(DeliveryFailed) as refused:
        sms_gateway().send(aliyun_sms())
    assert (refused.value.code, refused.value.retry) == ("SignatureDoesNotMatch", False)
    assert aliyun.sent == []


def test_aliyun_long_parameters_are_capped_as_the_provider_caps_them(aliyun):
    long_subject = "廚房水管漏水，" * 10
    sms_gateway().send(aliyun_sms(number="BSW-2612-0001", subject=long_subject))
    [sent] = aliyun.sent
    assert len(sent.parameters["subject"]) == aliyun_api.PARAMETER_LIMIT
    assert sent.parameters["subject"].endswith("…")


def test_aliyun_long_link_is_refused_naming_the_parameter(aliyun):
    link = "https://estate.example/portal/o/BSW-2612-0001/"
    with pytest.raises(DeliveryFailed) as refused:
        sms_gateway().send(aliyun_sms(number="BSW-2612-0001", subject=link))
    assert "subject" in str(refused.value)
    assert aliyun.requests == []


def test_aliyun_unreachable_is_tried_again(aliyun, settings):
    settings.ALIYUN_SMS_ENDPOINT = closed_port()
    sms_gateway.cache_clear()
    with pytest.raises(DeliveryFailed) as refused:
        sms_gateway().send(aliyun_sms())
    assert (refused.value.code, refused.value.retry) == ("unreached", True)

    settings.ALIYUN_SMS_ENDPOINT = aliyun.endpoint
    sms_gateway.cache_clear()
    sms_gateway().send(aliyun_sms())
    assert aliyun.keys() == {"estate-message-1": 1}


def test_aliyun_no_answer_is_not_sent_again(aliyun):
    """The provider took the text but the answer never came: sending it again could give the
    person two texts, so the adapter says so instead."""
    aliyun.stall_next()
    with pytest.raises(DeliveryFailed) as unknown:
        sms_gateway().send(aliyun_sms())
    assert (unknown.value.code, unknown.value.retry) == ("unknown", False)

    with pytest.raises(DeliveryFailed) as again:
        sms_gateway().send(aliyun_sms())
    assert again.value.code == "unknown"
    assert aliyun.keys() == {"estate-message-1": 1}
    assert len(aliyun.requests) == 1


def test_aliyun_registered_parameters_are_the_template_variables(aliyun):
    assert sms_gateway().registered_parameters(SIGN_NAME, "SMS_480001") == ["number", "subject"]
    with pytest.raises(DeliveryFailed) as missing:
        sms_gateway().registered_parameters(SIGN_NAME, "SMS_999999")
    assert missing.value.code == "isv.SMS_TEMPLATE_ILLEGAL"


# --- Tencent Cloud ---------------------------------------------------------------------------


def test_tencent_sends_the_registered_template_with_its_parameters_in_order(tencent):
    serial = sms_gateway().send(tencent_sms())

    [sent] = tencent.sent
    assert serial == sent.message_id
    assert (sent.phone, sent.sign_name, sent.template_code) == (PHONE, SIGN_NAME, "2001001")
    assert sent.parameters == ["BSW-2612-0001", "廚房水管漏水"]
    assert sent.key == "estate-message-1"  # SessionContext
    [request] = tencent.requests
    assert request["action"] == "SendSms"
    assert request["PhoneNumberSet"] == ["+8613812341234"]


def test_tencent_retry_with_the_same_key_sends_one_text(tencent):
    first = sms_gateway().send(tencent_sms())
    assert sms_gateway().send(tencent_sms()) == first
    assert tencent.keys() == {"estate-message-1": 1}
    assert len(tencent.requests) == 1


@pytest.mark.parametrize(
    ("code", "retry"),
    [
        ("LimitExceeded.PhoneNumberDailyLimit", True),
        ("LimitExceeded.PhoneNumberThirtySecondLimit", True),
        ("LimitExceeded.DeliveryFrequencyLimit", True),
        ("InvalidParameterValue.IncorrectPhoneNumber", False),
        ("FailedOperation.PhoneNumberInBlacklist", False),
        ("FailedOperation.InsufficientBalanceInSmsPackage", True),
    ],
)
def test_tencent_per_number_codes_read_as_the_office_needs_them(tencent, code, retry):
    tencent.fail_next(code)  # answered in SendStatusSet, the number's own Code
    with pytest.raises(DeliveryFailed) as refused:
        sms_gateway().send(tencent_sms())
    assert (refused.value.code, refused.value.retry) == (code, retry)
    assert str(refused.value) == str(tencent_api.REASONS[code][0])
    assert tencent.sent == []


def test_tencent_unapproved_signature_and_template(tencent):
    wrong_sign = Sms(**{**tencent_sms().__dict__, "sign_name": "別的簽名"})
    with pytest.raises(DeliveryFailed) as refused:
        sms_gateway().send(wrong_sign)
    assert (refused.value.code, refused.value.retry) == (
        "FailedOperation.SignatureIncorrectOrUnapproved",
        False,
    )
    with pytest.raises(DeliveryFailed) as refused:
        sms_gateway().send(tencent_sms("estate-message-2", "BSW-2612-0001"))
    assert (refused.value.code, refused.value.retry) == (
        "FailedOperation.TemplateIncorrectOrUnapproved",
        False,
    )


def test_tencent_wrong_secret_is_refused_by_the_signature_check(tencent, settings):
    settings.TENCENT_SMS_SECRET_KEY = "not-the-key"
    sms_gateway.cache_clear()
    with pytest.raises(DeliveryFailed) as refused:
        sms_gateway().send(tencent_sms())
    assert (refused.value.code, refused.value.retry) == ("AuthFailure.SignatureFailure", False)
    assert tencent.sent == []


def test_tencent_no_answer_is_not_sent_again(tencent):
    tencent.stall_next()
    with pytest.raises(DeliveryFailed) as unknown:
        sms_gateway().send(tencent_sms())
    assert unknown.value.code == "unknown"
    with pytest.raises(DeliveryFailed):
        sms_gateway().send(tencent_sms())
    assert tencent.keys() == {"estate-message-1": 1}


def test_tencent_registered_parameters_are_positions(tencent):
    assert sms_gateway().registered_parameters(SIGN_NAME, "2001001") == ["1", "2"]
    with pytest.raises(DeliveryFailed):
        sms_gateway().registered_parameters(SIGN_NAME, "2009999")
    with pytest.raises(DeliveryFailed):
        sms_gateway().registered_parameters(SIGN_NAME, "SMS_480001")


def test_tencent_template_under_review_is_not_registered(tencent):
    tencent.approved = {"2001002"}
    with pytest.raises(DeliveryFailed) as unapproved:
        sms_gateway().registered_parameters(SIGN_NAME, "2001001")
    assert unapproved.value.code == "unapproved"
