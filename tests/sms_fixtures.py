"""Fixtures for the mainland SMS providers: each adapter is the configured gateway, speaking to
its local stand-in (tests/stubs/sms_providers.py) with test credentials."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stubs.sms_providers import AliyunStub, TencentStub

SIGN_NAME = "碧水灣物業"
CALLBACK_TOKEN = "test-callback-token-0123456789abcdef"

ALIYUN_TEMPLATES = {
    "SMS_480001": "您的報修${number}（${subject}）已受理，我們會盡快處理。",
    "SMS_480002": "報修${number}已完成：${work_done}",
    "SMS_480003": "您的登入驗證碼為${code}，5分鐘內有效。",
}
TENCENT_TEMPLATES = {
    "2001001": "您的報修{1}（{2}）已受理，我們會盡快處理。",
    "2001002": "報修{1}已完成：{2}",
    "2001003": "您的登入驗證碼為{1}，5分鐘內有效。",
}


def _use(settings, gateway: str) -> None:
    from estate.messaging.sms import sms_gateway

    settings.SMS_GATEWAY = gateway
    sms_gateway.cache_clear()


@pytest.fixture
def aliyun(settings) -> Iterator[AliyunStub]:
    """Alibaba Cloud SMS on 127.0.0.1, and AliyunSms the gateway."""
    from estate.messaging.sms import sms_gateway

    stub = AliyunStub(
        credential_id="LTAI5tTestAccessKeyId",
        credential_secret="test-access-key-secret",
        signs={SIGN_NAME},
        templates=dict(ALIYUN_TEMPLATES),
    )
    settings.ALIYUN_SMS_ACCESS_KEY_ID = stub.credential_id
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = stub.credential_secret
    settings.ALIYUN_SMS_ENDPOINT = stub.endpoint
    settings.SMS_TIMEOUT_SECONDS = 1
    _use(settings, "estate.messaging.providers.aliyun.AliyunSms")
    yield stub
    stub.close()
    sms_gateway.cache_clear()


@pytest.fixture
def tencent(settings) -> Iterator[TencentStub]:
    """Tencent Cloud SMS on 127.0.0.1, and TencentSms the gateway."""
    from estate.messaging.sms import sms_gateway

    stub = TencentStub(
        credential_id="AKIDTestSecretId0123456789",
        credential_secret="test-secret-key",
        signs={SIGN_NAME},
        templates=dict(TENCENT_TEMPLATES),
        sdk_app_id="1400000001",
    )
    settings.TENCENT_SMS_SECRET_ID = stub.credential_id
    settings.TENCENT_SMS_SECRET_KEY = stub.credential_secret
    settings.TENCENT_SMS_SDK_APP_ID = stub.sdk_app_id
    settings.TENCENT_SMS_ENDPOINT = stub.endpoint
    settings.SMS_TIMEOUT_SECONDS = 1
    _use(settings, "estate.messaging.providers.tencent.TencentSms")
    yield stub
    stub.close()
    sms_gateway.cache_clear()


@pytest.fixture
def callback_token(settings) -> str:
    settings.SMS_CALLBACK_TOKEN = CALLBACK_TOKEN
    return CALLBACK_TOKEN
