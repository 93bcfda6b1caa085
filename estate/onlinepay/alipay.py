"""Alipay's open API, as published: every call's parameters sorted into ``k=v&…`` and signed
RSA2 (SHA256withRSA) with the app's key; answers and async notifications verified with
Alipay's public key."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

from estate.core.money import to_cents
from estate.onlinepay import keys
from estate.onlinepay.models import MerchantAccount, OnlinePayment
from estate.onlinepay.protocol import BadNotification, BillRow, Notice, TradeState
from estate.onlinepay.transport import ProviderError, call

BEIJING = ZoneInfo("Asia/Shanghai")  # Alipay's timestamps are Beijing time
PAID = {"TRADE_SUCCESS", "TRADE_FINISHED"}


def signing_text(params: dict[str, str]) -> str:
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()) if v != "" and k != "sign")


def signed(
    merchant: MerchantAccount, method: str, biz: dict[str, Any], **extra: str
) -> dict[str, str]:
    params = {
        "app_id": merchant.app_id,
        "method": method,
        "format": "JSON",
        "charset": "utf-8",
        "sign_type": "RSA2",
        "timestamp": datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
        "version": "1.0",
        "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":")),
        **extra,
    }
    params["sign"] = keys.sign(keys.private_key(merchant.private_key_file), signing_text(params))
    return params


def _response_node(raw: str, name: str) -> tuple[str, str]:
    """The answer's ``<method>_response`` text exactly as sent (the signature is over it)."""
    marker = f'"{name}":'
    start = raw.find(marker)
    if start < 0:
        raise ProviderError("no response node")
    start += len(marker)
    while raw[start] in " \t\r\n":
        start += 1
    _node, end = json.JSONDecoder().raw_decode(raw, start)
    return raw[start:end], json.loads(raw).get("sign", "")


def _call(
    merchant: MerchantAccount, method: str, biz: dict[str, Any], **extra: str
) -> dict[str, Any]:
    params = signed(merchant, method, biz, **extra)
    answer = call(
        "POST",
        merchant.gateway,
        body=urlencode(params).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded;charset=utf-8"},
    )
    if answer.status != 200:
        raise ProviderError(f"HTTP {answer.status}")
    try:
        text, signature = _response_node(
            answer.body.decode(), method.replace(".", "_") + "_response"
        )
    except (ValueError, UnicodeDecodeError):
        raise ProviderError("not JSON") from None
    if not keys.verify(keys.public_key(merchant.provider_key_file), text, signature):
        raise ProviderError("unverified answer")
    data: dict[str, Any] = json.loads(text)
    if data.get("code") != "10000":
        raise ProviderError(str(data.get("sub_code") or data.get("code")))
    return data


def _subject(description: str) -> str:
    return description[:128]


def create(
    merchant: MerchantAccount,
    payment: OnlinePayment,
    *,
    notify_url: str,
    description: str,
    return_url: str = "",
    page: bool = False,
) -> dict[str, str]:
    """QR pre-create answers the code's content; page pay is a signed address to send the payer to."""
    biz = {
        "out_trade_no": payment.out_trade_no,
        "total_amount": f"{to_cents(payment.amount)}",
        "subject": _subject(description),
        "time_expire": payment.expires_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
    }
    if page:
        biz["product_code"] = "FAST_INSTANT_TRADE_PAY"
        params = signed(
            merchant, "alipay.trade.page.pay", biz, notify_url=notify_url, return_url=return_url
        )
        return {"pay_url": f"{merchant.gateway}?{urlencode(params)}"}
    data = _call(merchant, "alipay.trade.precreate", biz, notify_url=notify_url)
    return {"code_url": str(data["qr_code"])}


def query(merchant: MerchantAccount, out_trade_no: str) -> TradeState:
    try:
        data = _call(merchant, "alipay.trade.query", {"out_trade_no": out_trade_no})
    except ProviderError as error:
        if str(error) == "ACQ.TRADE_NOT_EXIST":
            return TradeState(paid=False, exists=False)
        raise
    return TradeState(
        paid=data.get("trade_status") in PAID,
        transaction_id=str(data.get("trade_no") or ""),
        amount=Decimal(str(data.get("total_amount") or "0")),
    )


def close(merchant: MerchantAccount, out_trade_no: str) -> None:
    try:
        _call(merchant, "alipay.trade.close", {"out_trade_no": out_trade_no})
    except ProviderError as error:
        # Never scanned: Alipay has no trade to close, and none can be paid.
        if str(error) != "ACQ.TRADE_NOT_EXIST":
            raise


def read_notification(merchant: MerchantAccount, body: bytes) -> Notice:
    """The async notification: form fields signed (all but ``sign`` and ``sign_type``)."""
    try:
        fields = dict(parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=True))
    except (ValueError, UnicodeDecodeError):
        raise BadNotification("form") from None
    signature = fields.pop("sign", "")
    fields.pop("sign_type", None)
    if not signature or not keys.verify(
        keys.public_key(merchant.provider_key_file), signing_text(fields), signature
    ):
        raise BadNotification("signature")
    if fields.get("app_id") != merchant.app_id:
        raise BadNotification("app_id")
    try:
        amount = to_cents(Decimal(fields.get("total_amount", "")))
    except InvalidOperation:
        raise BadNotification("total_amount") from None
    return Notice(
        notification_id=fields.get("notify_id", ""),
        out_trade_no=fields.get("out_trade_no", ""),
        transaction_id=fields.get("trade_no", ""),
        amount=amount,
        paid=fields.get("trade_status") in PAID,
        digest=hashlib.sha256(body).hexdigest(),
    )


def bill(merchant: MerchantAccount, bill_date: str) -> list[BillRow]:
    data = _call(
        merchant,
        "alipay.data.dataservice.bill.downloadurl.query",
        {"bill_type": "trade", "bill_date": bill_date},
    )
    answer = call("GET", str(data["bill_download_url"]), body=None, headers={})
    if answer.status != 200:
        raise ProviderError(f"bill file HTTP {answer.status}")
    return parse_bill(answer.body)


def parse_bill(archive: bytes) -> list[BillRow]:
    """A zip of GBK CSV files; the detail file (业务明细, not its 汇总) lists the trades after
    comment lines starting with #."""
    found = []
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        for name in files.namelist():
            if "业务明细" not in name or "汇总" in name:
                continue
            text = files.read(name).decode("gbk")
            lines = [line for line in text.splitlines() if line and not line.startswith("#")]
            rows = list(csv.reader(lines))
            header = [cell.strip() for cell in rows[0]]
            trade, order, kind, total = (
                header.index(n)
                for n in ("支付宝交易号", "商户订单号", "业务类型", "订单金额（元）")
            )
            for row in rows[1:]:
                cells = [cell.strip() for cell in row]
                if len(cells) <= total or cells[kind] != "交易":
                    continue
                found.append(BillRow(cells[order], cells[trade], to_cents(Decimal(cells[total]))))
    return found
