"""A stand-in for WeChat Pay API v3 and Alipay's open API on 127.0.0.1 (a port of its own),
signing as the providers do with keys the tests generate.

It checks every request's signature with the merchant's public key (a bad one answers 401 /
``isv.invalid-signature``), creates orders, closes them, answers queries and serves the day's
bill files. ``pay(out_trade_no)`` pays an order and hands back the notification the provider
would send (signed; WeChat's resource encrypted with the APIv3 key) for the test to post;
``POST /_test/pay/<out_trade_no>`` pays and sends it to the order's ``notify_url`` itself, so a
browser flow against a live server is clickable.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import itertools
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PLATFORM_KEY_ID = "PUB_KEY_ID_0114232134912410000000000000"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def sign(key: rsa.RSAPrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


def verifies(key: rsa.RSAPublicKey, message: bytes, signature: str) -> bool:
    try:
        key.verify(base64.b64decode(signature), message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


def alipay_text(params: dict[str, str], *, notification: bool = False) -> str:
    """What Alipay signs: sorted ``k=v`` pairs without ``sign`` (a notification's also without
    ``sign_type``), empty values left out."""
    left_out = ("sign", "sign_type") if notification else ("sign",)
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()) if v != "" and k not in left_out)


@dataclass
class Keys:
    """Every key of the play, and the files a merchant account names."""

    folder: Path
    wechat_merchant: rsa.RSAPrivateKey
    wechat_platform: rsa.RSAPrivateKey
    alipay_app: rsa.RSAPrivateKey
    alipay_own: rsa.RSAPrivateKey
    api_v3_key: bytes = b"0123456789abcdefghijklmnopqrstuv"  # 32 bytes, as WeChat's are

    def write(self) -> Keys:
        files = {
            "wechat_merchant.pem": private_pem(self.wechat_merchant),
            "wechat_platform_public.pem": public_pem(self.wechat_platform),
            "wechat_apiv3.key": self.api_v3_key,
            "alipay_app.pem": private_pem(self.alipay_app),
            "alipay_public.pem": public_pem(self.alipay_own),
        }
        for name, data in files.items():
            (self.folder / name).write_bytes(data)
        return self

    def path(self, name: str) -> str:
        return str(self.folder / name)


@dataclass
class Order:
    provider: str
    out_trade_no: str
    cents: int
    notify_url: str
    kind: str
    state: str = "NOTPAY"  # NOTPAY, SUCCESS, CLOSED
    transaction_id: str = ""
    paid_at: datetime | None = None


@dataclass
class Notification:
    url: str
    path: str
    headers: dict[str, str]
    body: bytes
    content_type: str


@dataclass
class PaymentStub:
    keys: Keys
    mchid: str = "1900000109"
    wechat_appid: str = "wx-bsw"
    alipay_app_id: str = "2021000000000001"
    orders: dict[str, Order] = field(default_factory=dict)
    bill_extra: list[tuple[str, str, str]] = field(default_factory=list)  # provider, no, yuan
    refused: list[str] = field(default_factory=list)  # paths whose signature did not verify
    requests: list[tuple[str, str]] = field(default_factory=list)
    _counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- test helpers ---------------------------------------------------------------------
    def pay(self, out_trade_no: str, *, cents: int | None = None) -> Notification:
        """The payer pays: the order succeeds, and here is the notification (``cents``: one
        that claims another amount, as a tampered or mistaken one would)."""
        with self._lock:
            order = self.orders[out_trade_no]
            if not order.transaction_id:
                order.transaction_id = f"42000{next(self._counter):023d}"
            order.state = "SUCCESS"
            order.paid_at = datetime.now(UTC)
        if order.provider == "wechat":
            return self.wechat_notification(order, cents=cents)
        return self.alipay_notification(order, cents=cents)

    def deliver(self, note: Notification) -> int:
        request = urllib.request.Request(
            note.url,
            data=note.body,
            method="POST",
            headers={**note.headers, "Content-Type": note.content_type},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return error.code

    def wechat_transaction(self, order: Order, cents: int | None = None) -> dict[str, Any]:
        total = order.cents if cents is None else cents
        state = {"SUCCESS": "SUCCESS", "CLOSED": "CLOSED"}.get(order.state, "NOTPAY")
        data: dict[str, Any] = {
            "appid": self.wechat_appid,
            "mchid": self.mchid,
            "out_trade_no": order.out_trade_no,
            "trade_type": order.kind,
            "trade_state": state,
            "trade_state_desc": state,
            "amount": {"total": total, "payer_total": total, "currency": "CNY"},
        }
        if state == "SUCCESS":
            data["transaction_id"] = order.transaction_id
            data["success_time"] = (order.paid_at or datetime.now(UTC)).isoformat(
                timespec="seconds"
            )
        return data

    def wechat_notification(self, order: Order, *, cents: int | None = None) -> Notification:
        plain = json.dumps(self.wechat_transaction(order, cents)).encode()
        nonce = secrets.token_hex(6)
        cipher = AESGCM(self.keys.api_v3_key).encrypt(nonce.encode(), plain, b"transaction")
        body = json.dumps(
            {
                "id": f"EV-{secrets.token_hex(8)}",
                "create_time": datetime.now(UTC).isoformat(timespec="seconds"),
                "resource_type": "encrypt-resource",
                "event_type": "TRANSACTION.SUCCESS",
                "summary": "支付成功",
                "resource": {
                    "original_type": "transaction",
                    "algorithm": "AEAD_AES_256_GCM",
                    "ciphertext": base64.b64encode(cipher).decode(),
                    "associated_data": "transaction",
                    "nonce": nonce,
                },
            }
        ).encode()
        return Notification(
            order.notify_url,
            urlsplit(order.notify_url).path,
            self.wechat_headers(body),
            body,
            "application/json",
        )

    def wechat_headers(self, body: bytes) -> dict[str, str]:
        timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
        message = f"{timestamp}\n{nonce}\n".encode() + body + b"\n"
        return {
            "Wechatpay-Timestamp": timestamp,
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": sign(self.keys.wechat_platform, message),
            "Wechatpay-Serial": PLATFORM_KEY_ID,
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
        }

    def alipay_notification(self, order: Order, *, cents: int | None = None) -> Notification:
        total = Decimal(order.cents if cents is None else cents) / 100
        fields = {
            "notify_time": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            "notify_type": "trade_status_sync",
            "notify_id": f"ali-{secrets.token_hex(10)}",
            "app_id": self.alipay_app_id,
            "charset": "utf-8",
            "version": "1.0",
            "trade_no": order.transaction_id,
            "out_trade_no": order.out_trade_no,
            "total_amount": f"{total:.2f}",
            "receipt_amount": f"{total:.2f}",
            "trade_status": "TRADE_SUCCESS",
        }
        fields["sign"] = sign(self.keys.alipay_own, alipay_text(fields, notification=True).encode())
        fields["sign_type"] = "RSA2"
        return Notification(
            order.notify_url,
            urlsplit(order.notify_url).path,
            {},
            urlencode(fields).encode(),
            "application/x-www-form-urlencoded",
        )

    # -- WeChat Pay v3 --------------------------------------------------------------------
    def _wechat_signed_by_merchant(
        self, method: str, target: str, headers: Any, body: bytes
    ) -> bool:
        found = dict(re.findall(r'(\w+)="([^"]*)"', headers.get("Authorization", "")))
        if not headers.get("Authorization", "").startswith("WECHATPAY2-SHA256-RSA2048 "):
            return False
        if found.get("mchid") != self.mchid:
            return False
        message = (
            f"{method}\n{target}\n{found.get('timestamp')}\n{found.get('nonce_str')}\n".encode()
        )
        return verifies(
            self.keys.wechat_merchant.public_key(),
            message + body + b"\n",
            found.get("signature", ""),
        )

    def wechat(self, method: str, target: str, headers: Any, body: bytes) -> tuple[int, bytes, str]:
        parts = urlsplit(target)
        if not self._wechat_signed_by_merchant(method, target, headers, body):
            self.refused.append(parts.path)
            return 401, json.dumps({"code": "SIGN_ERROR", "message": "签名错误"}).encode(), "json"
        data = json.loads(body) if body else {}
        path = parts.path
        query = dict(parse_qsl(parts.query))
        if method == "POST" and path in (
            "/v3/pay/transactions/native",
            "/v3/pay/transactions/jsapi",
        ):
            kind = "NATIVE" if path.endswith("native") else "JSAPI"
            if kind == "JSAPI" and not (data.get("payer") or {}).get("openid"):
                return 400, json.dumps({"code": "PARAM_ERROR"}).encode(), "json"
            with self._lock:
                self.orders[data["out_trade_no"]] = Order(
                    "wechat",
                    data["out_trade_no"],
                    int(data["amount"]["total"]),
                    data["notify_url"],
                    kind,
                )
            if kind == "NATIVE":
                answer = {"code_url": f"weixin://wxpay/bizpayurl?pr={secrets.token_hex(4)}"}
            else:
                answer = {"prepay_id": f"wx{secrets.token_hex(14)}"}
            return 200, json.dumps(answer).encode(), "json"
        match = re.fullmatch(r"/v3/pay/transactions/out-trade-no/([^/]+)(/close)?", path)
        if match:
            order = self.orders.get(match.group(1))
            if order is None:
                return (
                    404,
                    json.dumps({"code": "ORDER_NOT_EXIST", "message": "订单不存在"}).encode(),
                    "json",
                )
            if match.group(2):
                if order.state == "SUCCESS":
                    return 400, json.dumps({"code": "ORDERPAID"}).encode(), "json"
                order.state = "CLOSED"
                return 204, b"", "json"
            if query.get("mchid") != self.mchid:
                return 400, json.dumps({"code": "PARAM_ERROR"}).encode(), "json"
            return 200, json.dumps(self.wechat_transaction(order)).encode(), "json"
        if path == "/v3/bill/tradebill":
            text = self.wechat_bill(query["bill_date"]).encode("utf-8")
            answer = {
                "download_url": f"{self.base_url}/v3/billdownload/file?token={query['bill_date']}",
                "hash_type": "SHA1",
                "hash_value": hashlib.sha1(text).hexdigest(),
            }
            return 200, json.dumps(answer).encode(), "json"
        if path == "/v3/billdownload/file":
            return 200, self.wechat_bill(query["token"]).encode("utf-8"), "raw"
        return 404, json.dumps({"code": "NOT_FOUND"}).encode(), "json"

    def _paid(self, provider: str) -> list[tuple[str, str, str]]:
        return [
            (o.out_trade_no, o.transaction_id, f"{Decimal(o.cents) / 100:.2f}")
            for o in self.orders.values()
            if o.provider == provider and o.state == "SUCCESS"
        ] + [(no, f"X{no}", yuan) for p, no, yuan in self.bill_extra if p == provider]

    def wechat_bill(self, bill_date: str) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(
            ["交易时间", "公众账号ID", "商户号", "微信订单号", "商户订单号", "用户标识",
             "交易类型", "交易状态", "应结订单金额", "手续费"]
        )  # fmt: skip
        for no, transaction_id, yuan in self._paid("wechat"):
            writer.writerow(
                [f"`{bill_date} 12:00:00", f"`{self.wechat_appid}", f"`{self.mchid}",
                 f"`{transaction_id}", f"`{no}", "`oUpF8", "`NATIVE", "`SUCCESS", f"`{yuan}", "`0.00"]
            )  # fmt: skip
        writer.writerow(["总交易单数", "应结订单总金额"])
        writer.writerow([f"`{len(self._paid('wechat'))}", "`0.00"])
        return out.getvalue()

    # -- Alipay ---------------------------------------------------------------------------
    def alipay_answer(self, method: str, node: dict[str, Any]) -> bytes:
        text = json.dumps(node, ensure_ascii=False)
        name = method.replace(".", "_") + "_response"
        signature = sign(self.keys.alipay_own, text.encode())
        return f'{{"{name}":{text},"sign":"{signature}"}}'.encode()

    def alipay(self, body: bytes) -> tuple[int, bytes, str]:
        params = dict(parse_qsl(body.decode()))
        method = params.get("method", "")
        if params.get("app_id") != self.alipay_app_id or not verifies(
            self.keys.alipay_app.public_key(), alipay_text(params).encode(), params.get("sign", "")
        ):
            self.refused.append(method)
            node = {
                "code": "40002",
                "msg": "Invalid Arguments",
                "sub_code": "isv.invalid-signature",
            }
            return 200, self.alipay_answer(method, node), "json"
        biz = json.loads(params.get("biz_content") or "{}")
        no = biz.get("out_trade_no", "")
        order = self.orders.get(no)
        missing = {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_NOT_EXIST"}
        if method == "alipay.trade.precreate":
            cents = int(Decimal(biz["total_amount"]) * 100)
            with self._lock:
                self.orders[no] = Order("alipay", no, cents, params.get("notify_url", ""), "QR")
            node = {"code": "10000", "msg": "Success", "out_trade_no": no,
                    "qr_code": f"https://qr.alipay.com/{secrets.token_hex(6)}"}  # fmt: skip
        elif method == "alipay.trade.query":
            if order is None:
                node = missing
            else:
                status = {"SUCCESS": "TRADE_SUCCESS", "CLOSED": "TRADE_CLOSED"}.get(
                    order.state, "WAIT_BUYER_PAY"
                )
                node = {"code": "10000", "msg": "Success", "out_trade_no": no, "trade_status": status,
                        "trade_no": order.transaction_id, "total_amount": f"{Decimal(order.cents) / 100:.2f}"}  # fmt: skip
        elif method == "alipay.trade.close":
            if order is None:
                node = missing
            else:
                order.state = "CLOSED" if order.state != "SUCCESS" else order.state
                node = {"code": "10000", "msg": "Success", "out_trade_no": no}
        elif method == "alipay.data.dataservice.bill.downloadurl.query":
            node = {"code": "10000", "msg": "Success",
                    "bill_download_url": f"{self.base_url}/alipay-bills/{biz['bill_date']}.zip"}  # fmt: skip
        else:
            node = {"code": "40004", "msg": "Business Failed", "sub_code": "isv.unknown-method"}
        return 200, self.alipay_answer(method, node), "json"

    def alipay_bill(self, bill_date: str) -> bytes:
        lines = [
            "#支付宝业务明细查询",
            f"#账号：[{self.alipay_app_id}]",
            f"#起始日期：[{bill_date} 00:00:00]",
        ]
        lines.append("支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,订单金额（元）")
        for no, trade_no, yuan in self._paid("alipay"):
            lines.append(
                f"{trade_no}\t,{no}\t,交易,物业费,{bill_date} 12:00:00,{bill_date} 12:00:05,{yuan}"
            )
        lines.append(
            "#-----------------------------------------业务明细列表结束------------------------------------"
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            day = bill_date.replace("-", "")
            archive.writestr(
                f"{self.alipay_app_id}_{day}_业务明细.csv", "\n".join(lines).encode("gbk")
            )
            archive.writestr(
                f"{self.alipay_app_id}_{day}_业务明细(汇总).csv", "#汇总\n".encode("gbk")
            )
        return out.getvalue()

    # -- serving --------------------------------------------------------------------------
    def start(self) -> PaymentStub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = urlsplit(self.path).path
                stub.requests.append((self.command, path))
                kind = "json"
                if path.startswith("/v3/"):
                    status, data, kind = stub.wechat(self.command, self.path, self.headers, body)
                elif path == "/gateway.do":
                    status, data, kind = stub.alipay(body)
                elif path.startswith("/alipay-bills/"):
                    status, data, kind = 200, stub.alipay_bill(path.rsplit("/", 1)[1][:-4]), "zip"
                elif path.startswith("/_test/pay/") and self.command == "POST":
                    number = path.rsplit("/", 1)[1]
                    if number in stub.orders:
                        status, data = (
                            200,
                            json.dumps({"delivered": stub.deliver(stub.pay(number))}).encode(),
                        )
                    else:
                        status, data = 404, b"{}"
                else:
                    status, data = 404, b"{}"
                self.send_response(status)
                if kind == "json":
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    if path.startswith("/v3/"):
                        for name, value in stub.wechat_headers(data).items():
                            self.send_header(name, value)
                else:
                    self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture(scope="session")
def payment_keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    """Four RSA 2048 keys (merchant and provider, for each provider) and an APIv3 key, in files."""
    return Keys(
        tmp_path_factory.mktemp("payment-keys"), new_key(), new_key(), new_key(), new_key()
    ).write()


@pytest.fixture
def payment_stub(payment_keys):
    stub = PaymentStub(payment_keys).start()
    yield stub
    stub.stop()


@pytest.fixture
def merchants(bsw, payment_stub):
    """碧水灣's WeChat Pay and Alipay merchant accounts, pointed at the stub."""
    from estate.onlinepay.models import MerchantAccount

    keys = payment_stub.keys
    wechat = MerchantAccount.objects.create(
        office=bsw, provider="wechat", enabled=True, app_id=payment_stub.wechat_appid,
        mch_id=payment_stub.mchid, serial_no="5157F09EFDC096DE15EBE81A47057A72", base_url=payment_stub.base_url,
        private_key_file=keys.path("wechat_merchant.pem"),
        provider_key_file=keys.path("wechat_platform_public.pem"), provider_key_id=PLATFORM_KEY_ID,
        api_v3_key_file=keys.path("wechat_apiv3.key"),
    )  # fmt: skip
    alipay = MerchantAccount.objects.create(
        office=bsw, provider="alipay", enabled=True, app_id=payment_stub.alipay_app_id,
        base_url=f"{payment_stub.base_url}/gateway.do",
        private_key_file=keys.path("alipay_app.pem"), provider_key_file=keys.path("alipay_public.pem"),
    )  # fmt: skip
    return {"wechat": wechat, "alipay": alipay}
