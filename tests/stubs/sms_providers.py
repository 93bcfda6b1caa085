"""Local stand-ins for Alibaba Cloud SMS and Tencent Cloud SMS: a threaded HTTP server on
127.0.0.1 (a free port) per provider that checks each request's signature with the test
credentials, as the provider would, checks the signature name, template and parameters against
the templates it was given, and answers in the provider's JSON.

The signing here is written again from the providers' documents, not imported from the
adapters, so a mistake in an adapter's signing fails here. Like the real providers, the stubs
send every request they accept (neither drops a repeated OutId or SessionContext); ``keys()``
counts the texts per key, so a test can see that the adapter sent a key once.

``fail_next(code)`` answers the next sends with a provider error code; ``stall_next()`` takes
the next send (the text counts as sent) but answers only after the client has given up."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote

MAINLAND = re.compile(r"^(?:\+86|0086|86)?(1[3-9]\d{9})$")


@dataclass
class Sent:
    """A text the stub accepted."""

    phone: str
    sign_name: str
    template_code: str
    parameters: Any  # Alibaba: name → value; Tencent: the list in order
    key: str
    message_id: str
    text: str


@dataclass
class _Stub:
    credential_id: str
    credential_secret: str
    signs: set[str]
    templates: dict[str, str]  # code → content, as registered at the provider
    requests: list[dict[str, Any]] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stalls: int = 0
    stall_seconds: float = 1.6
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                status, answer, delay = stub.handle(dict(self.headers.items()), raw)
                if delay:
                    time.sleep(delay)
                data = json.dumps(answer, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json;charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, code: str, times: int = 1) -> None:
        self.failures.extend([code] * times)

    def stall_next(self) -> None:
        self.stalls += 1

    def keys(self) -> Counter[str]:
        """How many texts were sent under each key."""
        return Counter(sent.key for sent in self.sent)

    def next_id(self) -> int:
        with self._lock:
            return next(self._ids)

    def _forced(self) -> tuple[str | None, float]:
        with self._lock:
            if self.failures:
                return self.failures.pop(0), 0
            if self.stalls:
                self.stalls -= 1
                return None, self.stall_seconds
        return None, 0

    def handle(self, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, Any], float]:
        raise NotImplementedError


# ---------------------------------------------------------------------------------------------
# Alibaba Cloud: RPC API, signature version 1.0 (HMAC-SHA1), form-encoded POST.


def _aliyun_encode(value: str) -> str:
    return quote(value, safe="-_.~")


def aliyun_signature(method: str, parameters: dict[str, str], secret: str) -> str:
    pairs = sorted((_aliyun_encode(k), _aliyun_encode(v)) for k, v in parameters.items())
    query = "&".join(f"{k}={v}" for k, v in pairs)
    text = "&".join([method, _aliyun_encode("/"), _aliyun_encode(query)])
    mac = hmac.new((secret + "&").encode("utf-8"), text.encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode("ascii")


class AliyunStub(_Stub):
    def __post_init__(self) -> None:
        self.nonces: set[str] = set()
        super().__post_init__()

    def _error(self, code: str, message: str, status: int = 200) -> tuple[int, dict[str, Any]]:
        return status, {"Code": code, "Message": message, "RequestId": str(uuid.uuid4()).upper()}

    def handle(self, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, Any], float]:
        params = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
        self.requests.append(params)
        given = params.pop("Signature", "")
        for name in ("AccessKeyId", "Action", "SignatureNonce", "Timestamp", "Version"):
            if not params.get(name):
                return (*self._error("MissingParameter", f"{name} is mandatory", 400), 0)
        if params.get("SignatureMethod") != "HMAC-SHA1" or params.get("SignatureVersion") != "1.0":
            return (*self._error("InvalidSignatureMethod", "HMAC-SHA1 1.0 only", 400), 0)
        if params["AccessKeyId"] != self.credential_id:
            return (
                *self._error(
                    "InvalidAccessKeyId.NotFound", "Specified access key is not found.", 404
                ),
                0,
            )
        if not hmac.compare_digest(given, aliyun_signature("POST", params, self.credential_secret)):
            return (
                *self._error(
                    "SignatureDoesNotMatch",
                    "Specified signature is not matched with our calculation.",
                    400,
                ),
                0,
            )
        if params["SignatureNonce"] in self.nonces:
            return (
                *self._error(
                    "SignatureNonceUsed", "Specified signature nonce was used already.", 400
                ),
                0,
            )
        self.nonces.add(params["SignatureNonce"])
        stamp = datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if abs(datetime.now(UTC) - stamp) > timedelta(minutes=15):
            return (
                *self._error(
                    "InvalidTimeStamp.Expired",
                    "Specified time stamp or date value is expired.",
                    400,
                ),
                0,
            )
        if params["Version"] != "2017-05-25":
            return (
                *self._error("InvalidVersion", "Specified parameter Version is not valid.", 400),
                0,
            )
        if params["Action"] == "GetSmsTemplate":
            return (*self._template(params), 0)
        if params["Action"] == "SendSms":
            status, answer, delay = self._send(params)
            return status, answer, delay
        return (*self._error("InvalidAction.NotFound", "Specified api is not found.", 404), 0)

    def _template(self, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        code = params.get("TemplateCode", "")
        if code not in self.templates:
            return self._error("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
        return 200, {
            "Code": "OK",
            "Message": "OK",
            "RequestId": str(uuid.uuid4()).upper(),
            "TemplateCode": code,
            "TemplateContent": self.templates[code],
            "TemplateStatus": "1",
            "TemplateType": "1",
        }

    def _send(self, params: dict[str, str]) -> tuple[int, dict[str, Any], float]:
        forced, delay = self._forced()
        if forced:
            return (*self._error(forced, "forced by the test"), 0)
        phone = MAINLAND.match(params.get("PhoneNumbers", ""))
        if phone is None:
            return (*self._error("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号"), 0)
        if params.get("SignName") not in self.signs:
            return (*self._error("isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名"), 0)
        content = self.templates.get(params.get("TemplateCode", ""))
        if content is None:
            return (*self._error("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板"), 0)
        try:
            values = json.loads(params.get("TemplateParam") or "{}")
        except json.JSONDecodeError:
            return (*self._error("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值"), 0)
        names = re.findall(r"\$\{(\w+)\}", content)
        for name in names:
            if name not in values:
                return (*self._error("isv.TEMPLATE_MISSING_PARAMETERS", f"模板缺少变量 {name}"), 0)
            if len(str(values[name])) > 35:
                return (*self._error("isv.PARAM_LENGTH_LIMIT", "参数超出长度限制"), 0)
        biz_id = f"{900619746936498440 + self.next_id()}^0"
        text = re.sub(r"\$\{(\w+)\}", lambda m: str(values[m.group(1)]), content)
        self.sent.append(
            Sent(
                phone=phone.group(1),
                sign_name=params["SignName"],
                template_code=params["TemplateCode"],
                parameters=values,
                key=params.get("OutId", ""),
                message_id=biz_id,
                text=f"【{params['SignName']}】{text}",
            )
        )
        return (
            200,
            {
                "Code": "OK",
                "Message": "OK",
                "BizId": biz_id,
                "RequestId": str(uuid.uuid4()).upper(),
            },
            delay,
        )


# ---------------------------------------------------------------------------------------------
# Tencent Cloud: API 3.0, TC3-HMAC-SHA256, JSON POST.


def tc3_signature(
    *,
    secret_key: str,
    headers: dict[str, str],
    signed_headers: list[str],
    payload: bytes,
    timestamp: int,
    service: str = "sms",
) -> str:
    lowered = {k.lower(): v for k, v in headers.items()}
    canonical_headers = "".join(
        f"{h}:{lowered.get(h, '').strip().lower()}\n" for h in signed_headers
    )
    canonical = (
        "POST\n/\n\n"
        + canonical_headers
        + "\n"
        + ";".join(signed_headers)
        + "\n"
        + hashlib.sha256(payload).hexdigest()
    )
    day = datetime.fromtimestamp(timestamp, UTC).date().isoformat()
    hashed = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    string_to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{day}/{service}/tc3_request\n{hashed}"
    key = ("TC3" + secret_key).encode("utf-8")
    for part in (day, service, "tc3_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass
class TencentStub(_Stub):
    sdk_app_id: str = "1400000001"
    approved: set[str] = field(default_factory=set)  # empty: every template is approved

    def _error(self, code: str, message: str) -> dict[str, Any]:
        return {
            "Response": {
                "Error": {"Code": code, "Message": message},
                "RequestId": str(uuid.uuid4()),
            }
        }

    def handle(self, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, Any], float]:
        lowered = {k.lower(): v for k, v in headers.items()}
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return (
                200,
                self._error("FailedOperation.FailResolvePacket", "request package resolve failed"),
                0,
            )
        self.requests.append({"action": lowered.get("x-tc-action"), **body})
        found = re.fullmatch(
            r"TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/sms/tc3_request, "
            r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})",
            lowered.get("authorization", ""),
        )
        if found is None:
            return (
                200,
                self._error("AuthFailure.InvalidAuthorization", "Authorization is invalid"),
                0,
            )
        secret_id, day, signed, given = found.groups()
        if secret_id != self.credential_id:
            return 200, self._error("AuthFailure.SecretIdNotFound", "The SecretId is not found"), 0
        signed_headers = signed.split(";")
        if not {"content-type", "host"} <= set(signed_headers):
            return (
                200,
                self._error(
                    "AuthFailure.InvalidAuthorization", "content-type and host must be signed"
                ),
                0,
            )
        timestamp = int(lowered.get("x-tc-timestamp", "0"))
        if abs(time.time() - timestamp) > 300:
            return 200, self._error("AuthFailure.SignatureExpire", "Signature expired"), 0
        expected = tc3_signature(
            secret_key=self.credential_secret,
            headers=headers,
            signed_headers=signed_headers,
            payload=raw,
            timestamp=timestamp,
        )
        if day != datetime.fromtimestamp(
            timestamp, UTC
        ).date().isoformat() or not hmac.compare_digest(given, expected):
            return (
                200,
                self._error(
                    "AuthFailure.SignatureFailure",
                    "The provided credentials could not be validated.",
                ),
                0,
            )
        if lowered.get("x-tc-version") != "2021-01-11" or not lowered.get("x-tc-region"):
            return 200, self._error("NoSuchVersion", "version or region missing"), 0
        action = lowered.get("x-tc-action")
        if action == "DescribeSmsTemplateList":
            return 200, self._templates(body), 0
        if action == "SendSms":
            return self._send(body)
        return 200, self._error("InvalidAction", "The action is not found"), 0

    def _templates(self, body: dict[str, Any]) -> dict[str, Any]:
        found = []
        for template_id in body.get("TemplateIdSet") or []:
            content = self.templates.get(str(template_id))
            if content is not None:
                approved = not self.approved or str(template_id) in self.approved
                found.append(
                    {
                        "TemplateId": int(template_id),
                        "International": 0,
                        "StatusCode": 0 if approved else 1,
                        "ReviewReply": "",
                        "TemplateName": f"estate {template_id}",
                        "CreateTime": 1617379200,
                        "TemplateContent": content,
                    }
                )
        return {"Response": {"DescribeTemplateStatusSet": found, "RequestId": str(uuid.uuid4())}}

    def _send(self, body: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
        if body.get("SmsSdkAppId") != self.sdk_app_id:
            return (
                200,
                self._error("InvalidParameterValue.SdkAppIdNotExist", "SdkAppId not exist"),
                0,
            )
        if body.get("SignName") not in self.signs:
            return (
                200,
                self._error(
                    "FailedOperation.SignatureIncorrectOrUnapproved",
                    "signature format error or signature not approved",
                ),
                0,
            )
        content = self.templates.get(str(body.get("TemplateId")))
        values = body.get("TemplateParamSet") or []
        if content is None or len(values) != max(
            (int(n) for n in re.findall(r"\{(\d+)\}", content)), default=0
        ):
            return (
                200,
                self._error(
                    "FailedOperation.TemplateIncorrectOrUnapproved",
                    "template is not approved or request content does not match the approved template content",
                ),
                0,
            )
        forced, delay = self._forced()
        statuses = []
        for number in body.get("PhoneNumberSet") or []:
            phone = MAINLAND.match(number)
            serial = f"2019:{5382946839061090000 + self.next_id()}"
            status = {
                "SerialNo": serial,
                "PhoneNumber": number,
                "Fee": 1,
                "SessionContext": body.get("SessionContext", ""),
                "IsoCode": "CN",
            }
            if forced:
                statuses.append(
                    {
                        **status,
                        "SerialNo": "",
                        "Fee": 0,
                        "Code": forced,
                        "Message": "forced by the test",
                    }
                )
            elif phone is None:
                statuses.append(
                    {
                        **status,
                        "SerialNo": "",
                        "Fee": 0,
                        "Code": "InvalidParameterValue.IncorrectPhoneNumber",
                        "Message": "incorrect number format",
                    }
                )
            else:
                text = re.sub(r"\{(\d+)\}", lambda m: str(values[int(m.group(1)) - 1]), content)
                self.sent.append(
                    Sent(
                        phone=phone.group(1),
                        sign_name=body["SignName"],
                        template_code=str(body["TemplateId"]),
                        parameters=values,
                        key=body.get("SessionContext", ""),
                        message_id=serial,
                        text=f"【{body['SignName']}】{text}",
                    )
                )
                statuses.append({**status, "Code": "Ok", "Message": "send success"})
        return 200, {"Response": {"SendStatusSet": statuses, "RequestId": str(uuid.uuid4())}}, delay
