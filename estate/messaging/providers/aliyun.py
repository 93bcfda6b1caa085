"""Alibaba Cloud SMS (阿里云短信服务), Dysmsapi 2017-05-25, through its published RPC API:
``SendSms`` to send a registered template, ``GetSmsTemplate`` to read a template's ``${name}``
variables. Requests are signed with signature version 1.0 (HMAC-SHA1 over the canonicalized
parameters, keyed with the AccessKey secret and ``&``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

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

VERSION = "2017-05-25"
# The provider refuses an ordinary variable longer than this (isv.PARAM_LENGTH_LIMIT).
PARAMETER_LIMIT = 35
_VARIABLE = re.compile(r"\$\{([A-Za-z0-9_]+)\}")

# code → (reason for the office, whether trying later may succeed)
REASONS: dict[str, tuple[Promise, bool]] = {
    "isv.SMS_TEMPLATE_ILLEGAL": (
        _(
            "The SMS template is not approved by Alibaba Cloud (or its code is wrong): check it "
            "in the SMS console and under SMS templates."
        ),
        False,
    ),
    "isv.SMS_SIGNATURE_ILLEGAL": (
        _(
            "The SMS signature is not approved by Alibaba Cloud (or is spelt differently): check "
            "it in the SMS console and under SMS templates."
        ),
        False,
    ),
    "isv.SMS_SIGNATURE_SCENE_ILLEGAL": (
        _("The SMS signature may not be used with this template: pick a signature for it."),
        False,
    ),
    "isv.TEMPLATE_MISSING_PARAMETERS": (
        _(
            "The text lacks a parameter the SMS template needs: check the SMS template's parameters."
        ),
        False,
    ),
    "isv.TEMPLATE_PARAMS_ILLEGAL": (
        _("A parameter does not suit the SMS template's variable: check the SMS template."),
        False,
    ),
    "isv.PARAM_LENGTH_LIMIT": (
        _("A parameter is longer than the provider allows (35 characters)."),
        False,
    ),
    "isv.MOBILE_NUMBER_ILLEGAL": (
        _("The provider says this is not a valid mobile number: check the person's phone."),
        False,
    ),
    "isv.BLACK_KEY_CONTROL_LIMIT": (
        _("The provider refused the words of the text (a blocked word)."),
        False,
    ),
    "isv.BUSINESS_LIMIT_CONTROL": (
        _("The provider limits how many texts one number gets; it will be tried again later."),
        True,
    ),
    "isv.DAY_LIMIT_CONTROL": (
        _("This number has had its texts for today; it will be tried again later."),
        True,
    ),
    "isv.AMOUNT_NOT_ENOUGH": (
        _(
            "The SMS account's balance is too low: top it up in the Alibaba Cloud console; the "
            "text will be tried again."
        ),
        True,
    ),
    "isv.OUT_OF_SERVICE": (
        _("The SMS account is suspended (in arrears): settle it in the Alibaba Cloud console."),
        True,
    ),
    "isv.ACCOUNT_ABNORMAL": (
        _("The SMS account is not in order: see the Alibaba Cloud console."),
        False,
    ),
    "SignatureDoesNotMatch": (
        _("The provider refused estate's credentials: check ALIYUN_SMS_ACCESS_KEY_SECRET."),
        False,
    ),
    "InvalidAccessKeyId.NotFound": (
        _("The provider does not know estate's key: check ALIYUN_SMS_ACCESS_KEY_ID."),
        False,
    ),
    "Throttling.User": (
        _("The provider asks estate to send more slowly; the text will be tried again."),
        True,
    ),
    "isp.SYSTEM_ERROR": (
        _("The SMS provider had a fault; the text will be tried again."),
        True,
    ),
}


def percent_encode(value: str) -> str:
    """RFC 3986, as the signature needs it: only letters, digits and ``-_.~`` stay as they are."""
    return quote(value, safe="~")


def string_to_sign(method: str, parameters: Mapping[str, str]) -> str:
    canonical = "&".join(
        f"{percent_encode(name)}={percent_encode(parameters[name])}" for name in sorted(parameters)
    )
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def signature(method: str, parameters: Mapping[str, str], secret: str) -> str:
    digest = hmac.new(
        f"{secret}&".encode(), string_to_sign(method, parameters).encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode()


def refusal(code: str, message: str = "", *, status: int = 200) -> DeliveryFailed:
    """The provider's error ``code`` as the office reads it, and whether to try again."""
    if code in REASONS:
        reason, retry = REASONS[code]
        return DeliveryFailed(reason, retry=retry, code=code)
    return DeliveryFailed(
        _("The SMS provider refused the text (%(code)s: %(message)s).")
        % {"code": code or status, "message": message[:120]},
        retry=status >= 500 or code.startswith("isp."),
        code=code or f"http_{status}",
    )


def capped(name: str, value: str) -> str:
    """A parameter as the provider takes it: ordinary text shortened to the limit; a link cannot
    be shortened without breaking it, so a long one is refused, naming the parameter."""
    if len(value) <= PARAMETER_LIMIT:
        return value
    if re.match(r"https?://", value):
        raise DeliveryFailed(
            _(
                "The link in “%(name)s” is longer than the provider allows (%(limit)s "
                "characters): use a shorter SITE_URL or leave the link out of the SMS template."
            )
            % {"name": name, "limit": PARAMETER_LIMIT},
            code="isv.PARAM_LENGTH_LIMIT",
        )
    return value[: PARAMETER_LIMIT - 1] + "…"


class AliyunSms:
    """Sends through Alibaba Cloud SMS with the key in ``OutId`` (returned in receipts); the
    message id is the ``BizId``. Alibaba does not drop repeated requests, so the ledger
    (``exchange.send_once``) keeps a key from being sent twice."""

    needs_templates = True
    positional_parameters = False
    name = "aliyun"

    def __init__(self) -> None:
        self.access_key_id = settings.ALIYUN_SMS_ACCESS_KEY_ID
        self.secret = settings.ALIYUN_SMS_ACCESS_KEY_SECRET
        self.endpoint = settings.ALIYUN_SMS_ENDPOINT

    def call(self, action: str, parameters: Mapping[str, str]) -> dict[str, Any]:
        """One signed call; the answer's body when its Code is OK, else ``DeliveryFailed``."""
        signed = {
            "AccessKeyId": self.access_key_id,
            "Action": action,
            "Format": "JSON",
            "RegionId": "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": VERSION,
            **parameters,
        }
        signed["Signature"] = signature("POST", signed, self.secret)
        answer = exchange(
            f"{self.endpoint}/",
            data=urlencode(signed).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        )
        code = str(answer.body.get("Code", ""))
        if code != "OK":
            raise refusal(code, str(answer.body.get("Message", "")), status=answer.status)
        return answer.body

    def send(self, sms: Sms) -> str:
        parameters = {name: capped(name, value) for name, value in sms.parameters.items()}

        def send() -> str:
            body = self.call(
                "SendSms",
                {
                    "PhoneNumbers": sms.phone,
                    "SignName": sms.sign_name,
                    "TemplateCode": sms.template_code,
                    "TemplateParam": json.dumps(parameters, ensure_ascii=False),
                    "OutId": sms.key,
                },
            )
            return str(body["BizId"])

        return send_once(provider=self.name, key=sms.key, send=send)

    def registered_parameters(self, sign_name: str, template_code: str) -> list[str]:
        try:
            body = self.call("GetSmsTemplate", {"TemplateCode": template_code})
        except (Unreached, Unknown):
            raise unchecked() from None
        return variables(str(body.get("TemplateContent", "")))


def variables(content: str) -> list[str]:
    """The ``${name}`` variables of a template's content, each once, in order."""
    return list(dict.fromkeys(_VARIABLE.findall(content)))
