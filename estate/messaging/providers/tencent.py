"""Tencent Cloud SMS (騰訊雲短信), API 3.0 version 2021-01-11, through its published HTTP API:
``SendSms`` to send a registered template, ``DescribeSmsTemplateList`` to read a template's
``{1}``, ``{2}``… parameters. Requests are signed with TC3-HMAC-SHA256."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from estate.messaging.providers.exchange import (
    Unknown,
    Unreached,
    exchange,
    send_once,
    unchecked,
)
from estate.messaging.sms import DeliveryFailed, Sms

VERSION = "2021-01-11"
SERVICE = "sms"
ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
SIGNED_HEADERS = "content-type;host;x-tc-action"
_POSITION = re.compile(r"\{(\d+)\}")

# code → (reason for the office, whether trying later may succeed)
REASONS: dict[str, tuple[Promise, bool]] = {
    "FailedOperation.TemplateIncorrectOrUnapproved": (
        _(
            "The SMS template is not approved by Tencent Cloud, or the parameters do not match "
            "it: check it in the SMS console and under SMS templates."
        ),
        False,
    ),
    "FailedOperation.TemplateUnapprovedOrNotExist": (
        _("The SMS template does not exist or is not approved by Tencent Cloud."),
        False,
    ),
    "FailedOperation.SignatureIncorrectOrUnapproved": (
        _(
            "The SMS signature is not approved by Tencent Cloud (or is spelt differently): check "
            "it in the SMS console and under SMS templates."
        ),
        False,
    ),
    "InvalidParameterValue.IncorrectPhoneNumber": (
        _("The provider says this is not a valid mobile number: check the person's phone."),
        False,
    ),
    "InvalidParameterValue.TemplateParameterLengthLimit": (
        _("A parameter is longer than the provider allows for this template."),
        False,
    ),
    "InvalidParameterValue.TemplateParameterFormatError": (
        _("A parameter does not suit the SMS template's variable: check the SMS template."),
        False,
    ),
    "InvalidParameterValue.ContentLengthLimit": (
        _("The text is longer than the provider allows."),
        False,
    ),
    "FailedOperation.ContainSensitiveWord": (
        _("The provider refused the words of the text (a blocked word)."),
        False,
    ),
    "FailedOperation.PhoneNumberInBlacklist": (
        _("The number does not take texts (it unsubscribed or is on a do-not-disturb list)."),
        False,
    ),
    "LimitExceeded.PhoneNumberDailyLimit": (
        _("This number has had its texts for today; it will be tried again later."),
        True,
    ),
    "LimitExceeded.PhoneNumberOneHourLimit": (
        _("This number has had its texts for this hour; it will be tried again later."),
        True,
    ),
    "LimitExceeded.PhoneNumberThirtySecondLimit": (
        _("This number had a text a moment ago; it will be tried again shortly."),
        True,
    ),
    "LimitExceeded.PhoneNumberSameContentDailyLimit": (
        _("This number has had the same text today; it will be tried again later."),
        True,
    ),
    "LimitExceeded.DeliveryFrequencyLimit": (
        _("The provider limits how many texts one number gets; it will be tried again later."),
        True,
    ),
    "FailedOperation.InsufficientBalanceInSmsPackage": (
        _(
            "The SMS package is used up: buy more in the Tencent Cloud console; the text will be "
            "tried again."
        ),
        True,
    ),
    "FailedOperation.MarketingSendTimeConstraint": (
        _("The provider does not send this kind of text at night; it will be tried again."),
        True,
    ),
    "AuthFailure.SignatureFailure": (
        _("The provider refused estate's credentials: check TENCENT_SMS_SECRET_KEY."),
        False,
    ),
    "AuthFailure.SecretIdNotFound": (
        _("The provider does not know estate's key: check TENCENT_SMS_SECRET_ID."),
        False,
    ),
    "AuthFailure.SignatureExpire": (
        _("The provider says this server's clock is wrong: set the time (NTP)."),
        True,
    ),
    "InvalidParameterValue.SdkAppIdNotExist": (
        _("The provider does not know the SMS application: check TENCENT_SMS_SDK_APP_ID."),
        False,
    ),
    "RequestLimitExceeded": (
        _("The provider asks estate to send more slowly; the text will be tried again."),
        True,
    ),
    "InternalError.Timeout": (
        _("The SMS provider had a fault; the text will be tried again."),
        True,
    ),
    "InternalError": (
        _("The SMS provider had a fault; the text will be tried again."),
        True,
    ),
}


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def canonical_request(*, headers: Mapping[str, str], signed_headers: str, payload: bytes) -> str:
    """The canonical request of a POST to ``/``: each signed header as ``name:value``, both
    lower-cased and trimmed, and the payload's SHA-256."""
    lowered = {name.lower(): value for name, value in headers.items()}
    canonical_headers = "".join(
        f"{name}:{lowered[name].strip().lower()}\n" for name in signed_headers.split(";")
    )
    return "\n".join(
        [
            "POST",
            "/",
            "",
            canonical_headers,
            signed_headers,
            hashlib.sha256(payload).hexdigest(),
        ]
    )


def signature(*, secret_key: str, timestamp: int, service: str, canonical: str) -> tuple[str, str]:
    """(credential scope, hex signature) of a canonical request made at ``timestamp``."""
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(
        [ALGORITHM, str(timestamp), scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    return scope, hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def refusal(code: str, message: str = "", *, status: int = 200) -> DeliveryFailed:
    """The provider's error ``code`` as the office reads it, and whether to try again."""
    if code in REASONS:
        reason, retry = REASONS[code]
        return DeliveryFailed(reason, retry=retry, code=code)
    family = code.split(".")[0]
    return DeliveryFailed(
        _("The SMS provider refused the text (%(code)s: %(message)s).")
        % {"code": code or status, "message": message[:120]},
        retry=status >= 500 or family in {"InternalError", "RequestLimitExceeded", "LimitExceeded"},
        code=code or f"http_{status}",
    )


def international(phone: str) -> str:
    return phone if phone.startswith("+") else f"+86{phone}"


class TencentSms:
    """Sends through Tencent Cloud SMS with the key in ``SessionContext`` (returned as it was
    given); the message id is the ``SerialNo``, which receipts call ``sid``. Tencent does not
    drop repeated requests, so the ledger (``exchange.send_once``) keeps a key from being sent
    twice. Its template parameters are positional: ``{1}``, ``{2}``…"""

    needs_templates = True
    positional_parameters = True
    name = "tencent"

    def __init__(self) -> None:
        self.secret_id = settings.TENCENT_SMS_SECRET_ID
        self.secret_key = settings.TENCENT_SMS_SECRET_KEY
        self.app_id = settings.TENCENT_SMS_SDK_APP_ID
        self.region = settings.TENCENT_SMS_REGION
        self.endpoint = settings.TENCENT_SMS_ENDPOINT

    def call(self, action: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
        """One signed call; the answer's ``Response`` unless it holds an ``Error``."""
        payload = json.dumps(parameters, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = int(datetime.now(UTC).timestamp())
        headers = {
            "Content-Type": CONTENT_TYPE,
            "Host": urlsplit(self.endpoint).netloc,
            "X-TC-Action": action,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": VERSION,
            "X-TC-Region": self.region,
        }
        scope, signed = signature(
            secret_key=self.secret_key,
            timestamp=timestamp,
            service=SERVICE,
            canonical=canonical_request(
                headers=headers, signed_headers=SIGNED_HEADERS, payload=payload
            ),
        )
        headers["Authorization"] = (
            f"{ALGORITHM} Credential={self.secret_id}/{scope}, "
            f"SignedHeaders={SIGNED_HEADERS}, Signature={signed}"
        )
        answer = exchange(f"{self.endpoint}/", data=payload, headers=headers)
        response = answer.body.get("Response")
        if not isinstance(response, dict):
            raise refusal("", status=answer.status)
        error = response.get("Error")
        if isinstance(error, dict):
            raise refusal(
                str(error.get("Code", "")), str(error.get("Message", "")), status=answer.status
            )
        return response

    def send(self, sms: Sms) -> str:
        def send() -> str:
            response = self.call(
                "SendSms",
                {
                    "PhoneNumberSet": [international(sms.phone)],
                    "SmsSdkAppId": self.app_id,
                    "SignName": sms.sign_name,
                    "TemplateId": sms.template_code,
                    "TemplateParamSet": list(sms.parameters.values()),
                    "SessionContext": sms.key,
                },
            )
            statuses = response.get("SendStatusSet") or [{}]
            status = statuses[0]
            code = str(status.get("Code", ""))
            if code != "Ok":  # each number has its own result
                raise refusal(code, str(status.get("Message", "")))
            return str(status["SerialNo"])

        return send_once(provider=self.name, key=sms.key, send=send)

    def registered_parameters(self, sign_name: str, template_code: str) -> list[str]:
        if not template_code.isdigit():
            raise DeliveryFailed(
                _("A Tencent Cloud template ID is a number, such as 1110."), code="template_id"
            )
        try:
            response = self.call(
                "DescribeSmsTemplateList",
                {"International": 0, "TemplateIdSet": [int(template_code)]},
            )
        except (Unreached, Unknown):
            raise unchecked() from None
        found = response.get("DescribeTemplateStatusSet") or []
        if not found:
            raise refusal("FailedOperation.TemplateUnapprovedOrNotExist")
        template = found[0]
        if template.get("StatusCode") != 0:
            raise DeliveryFailed(
                _("Tencent Cloud has not approved SMS template %(code)s (yet).")
                % {"code": template_code},
                code="unapproved",
            )
        return positions(str(template.get("TemplateContent", "")))


def positions(content: str) -> list[str]:
    """``["1", "2", …]`` up to the highest ``{n}`` of a template's content."""
    highest = max((int(n) for n in _POSITION.findall(content)), default=0)
    return [str(n) for n in range(1, highest + 1)]
