"""WeChat Pay API v3, as published: requests signed ``WECHATPAY2-SHA256-RSA2048`` with the
merchant key, answers and notifications verified with the platform public key, the notice's
``resource`` decrypted with AEAD_AES_256_GCM under the APIv3 key."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import secrets
import time
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlsplit

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from estate.core.money import to_cents
from estate.onlinepay import keys
from estate.onlinepay.models import MerchantAccount, OnlinePayment
from estate.onlinepay.protocol import BadNotification, BillRow, Notice, TradeState
from estate.onlinepay.transport import ProviderError, call

# A notice older (or newer) than this is refused: a captured one cannot be replayed for ever.
CLOCK_SKEW_SECONDS = 300


def _cents(amount: Decimal) -> int:
    return int(to_cents(amount) * 100)


def authorization(merchant: MerchantAccount, method: str, path: str, body: str) -> str:
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    message = f"{method}\n{path}\n{timestamp}\n{nonce}\n{body}\n"
    signature = keys.sign(keys.private_key(merchant.private_key_file), message)
    return (
        f'WECHATPAY2-SHA256-RSA2048 mchid="{merchant.mch_id}",nonce_str="{nonce}",'
        f'signature="{signature}",timestamp="{timestamp}",serial_no="{merchant.serial_no}"'
    )


def _verified(merchant: MerchantAccount, headers: dict[str, str], body: bytes) -> bool:
    lower = {k.lower(): v for k, v in headers.items()}
    timestamp = lower.get("wechatpay-timestamp", "")
    nonce = lower.get("wechatpay-nonce", "")
    signature = lower.get("wechatpay-signature", "")
    if not (timestamp.isdigit() and nonce and signature):
        return False
    if abs(time.time() - int(timestamp)) > CLOCK_SKEW_SECONDS:
        return False
    if merchant.provider_key_id and lower.get("wechatpay-serial") != merchant.provider_key_id:
        return False
    message = timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"
    return keys.verify(keys.public_key(merchant.provider_key_file), message, signature)


def _request(
    merchant: MerchantAccount, method: str, path: str, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    text = "" if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    headers = {
        "Authorization": authorization(merchant, method, path, text),
        "Accept": "application/json",
        "Content-Type": "application/json",
    }
    answer = call(method, merchant.gateway + path, body=text.encode() or None, headers=headers)
    if answer.status == 204:
        return {}
    if not _verified(merchant, answer.headers, answer.body):
        raise ProviderError(f"unverified answer (HTTP {answer.status})")
    try:
        data = json.loads(answer.body)
    except ValueError:
        raise ProviderError("not JSON") from None
    if answer.status >= 300:
        raise ProviderError(str(data.get("code", answer.status)))
    return data


def create(
    merchant: MerchantAccount,
    payment: OnlinePayment,
    *,
    notify_url: str,
    description: str,
    openid: str = "",
) -> dict[str, str]:
    """Place the order: Native answers a ``code_url`` for the QR code, JSAPI a prepay id."""
    body: dict[str, Any] = {
        "appid": merchant.app_id,
        "mchid": merchant.mch_id,
        "description": description[:127],
        "out_trade_no": payment.out_trade_no,
        "time_expire": payment.expires_at.isoformat(timespec="seconds"),
        "notify_url": notify_url,
        "amount": {"total": _cents(payment.amount), "currency": "CNY"},
    }
    if openid:
        body["payer"] = {"openid": openid}
        return {
            "prepay_id": str(
                _request(merchant, "POST", "/v3/pay/transactions/jsapi", body)["prepay_id"]
            )
        }
    return {
        "code_url": str(_request(merchant, "POST", "/v3/pay/transactions/native", body)["code_url"])
    }


def jsapi_parameters(merchant: MerchantAccount, prepay_id: str) -> dict[str, str]:
    """What WeixinJSBridge's ``getBrandWCPayRequest`` takes, signed with the merchant key."""
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    package = f"prepay_id={prepay_id}"
    message = f"{merchant.app_id}\n{timestamp}\n{nonce}\n{package}\n"
    return {
        "appId": merchant.app_id,
        "timeStamp": timestamp,
        "nonceStr": nonce,
        "package": package,
        "signType": "RSA",
        "paySign": keys.sign(keys.private_key(merchant.private_key_file), message),
    }


def _state(data: dict[str, Any]) -> TradeState:
    total = (data.get("amount") or {}).get("total")
    return TradeState(
        paid=data.get("trade_state") == "SUCCESS",
        transaction_id=str(data.get("transaction_id") or ""),
        amount=None if total is None else to_cents(Decimal(int(total)) / 100),
    )


def query(merchant: MerchantAccount, out_trade_no: str) -> TradeState:
    path = f"/v3/pay/transactions/out-trade-no/{quote(out_trade_no)}?mchid={quote(merchant.mch_id)}"
    try:
        return _state(_request(merchant, "GET", path))
    except ProviderError as error:
        if str(error) == "ORDER_NOT_EXIST":
            return TradeState(paid=False, exists=False)
        raise


def close(merchant: MerchantAccount, out_trade_no: str) -> None:
    path = f"/v3/pay/transactions/out-trade-no/{quote(out_trade_no)}/close"
    _request(merchant, "POST", path, {"mchid": merchant.mch_id})


def read_notification(merchant: MerchantAccount, headers: dict[str, str], body: bytes) -> Notice:
    """Verify the signature over ``timestamp\\nnonce\\nbody\\n``, then decrypt the resource."""
    if not _verified(merchant, headers, body):
        raise BadNotification("signature")
    try:
        data = json.loads(body)
        resource = data["resource"]
        key = keys.read_file(merchant.api_v3_key_file).strip()
        plain = AESGCM(key).decrypt(
            resource["nonce"].encode(),
            base64.b64decode(resource["ciphertext"]),
            (resource.get("associated_data") or "").encode(),
        )
        transaction = json.loads(plain)
        notification_id = str(data["id"])
    except (ValueError, KeyError, TypeError, InvalidTag, keys.KeyMissing) as error:
        raise BadNotification(type(error).__name__) from None
    state = _state(transaction)
    if transaction.get("mchid") != merchant.mch_id:
        raise BadNotification("mchid")
    return Notice(
        notification_id=notification_id,
        out_trade_no=str(transaction.get("out_trade_no", "")),
        transaction_id=state.transaction_id,
        amount=state.amount,
        paid=data.get("event_type") == "TRANSACTION.SUCCESS" and state.paid,
        digest=hashlib.sha256(body).hexdigest(),
    )


def bill(merchant: MerchantAccount, bill_date: str) -> list[BillRow]:
    """The day's trade bill: ask for its download address, fetch it (signed), read the rows."""
    found = _request(merchant, "GET", f"/v3/bill/tradebill?bill_date={bill_date}&bill_type=ALL")
    parts = urlsplit(found["download_url"])
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Authorization": authorization(merchant, "GET", path, "")}
    answer = call("GET", merchant.gateway + path, body=None, headers=headers)
    if answer.status != 200:
        raise ProviderError(f"bill file HTTP {answer.status}")
    if found.get("hash_type") == "SHA1" and hashlib.sha1(answer.body).hexdigest() != found.get(
        "hash_value"
    ):
        raise ProviderError("bill file digest")
    return parse_bill(answer.body.decode("utf-8-sig"))


def parse_bill(text: str) -> list[BillRow]:
    """WeChat's trade bill: a header, rows whose every value starts with a backquote, then a
    summary from the line beginning 总交易单数. Refunds and other states are not payments."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header = [name.strip() for name in rows[0]]
    at = {
        name: header.index(name)
        for name in ("微信订单号", "商户订单号", "交易状态", "应结订单金额")
    }
    found = []
    for row in rows[1:]:
        if not row or row[0].startswith("总交易单数"):
            break
        value = [cell.strip().lstrip("`") for cell in row]
        if value[at["交易状态"]] != "SUCCESS":
            continue
        found.append(
            BillRow(
                value[at["商户订单号"]],
                value[at["微信订单号"]],
                to_cents(Decimal(value[at["应结订单金额"]])),
            )
        )
    return found
