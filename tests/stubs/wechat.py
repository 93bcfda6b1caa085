"""A stand-in for WeChat's official-account API on 127.0.0.1 (a port of its own): the access
token, template messages and web authorisation, answering with WeChat's JSON and errcodes.

Tell it the accounts (app id → secret), the template ids, who follows (openids) and which
authorisation code stands for which openid; ``fail_next`` makes the next calls of a path answer
given errcodes (or HTTP statuses, as ``"http_503"``); ``expire_tokens`` makes every token it
gave out invalid (40001). Every request is kept in ``requests``, every message sent in ``sent``.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class WeChatStub:
    accounts: dict[str, str] = field(default_factory=dict)  # app id -> secret
    templates: set[str] = field(default_factory=set)
    followers: set[str] = field(default_factory=set)
    codes: dict[str, str] = field(default_factory=dict)  # authorisation code -> openid
    requests: list[Seen] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)  # live token -> app id
    failures: dict[str, list[int | str]] = field(default_factory=lambda: defaultdict(list))
    _counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    # -- telling it what to do ----------------------------------------------------------
    def fail_next(self, path: str, *answers: int | str) -> None:
        self.failures[path].extend(answers)

    def expire_tokens(self) -> None:
        self.tokens.clear()

    def calls(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    @property
    def base_url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- answering ----------------------------------------------------------------------
    def answer(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, dict]:
        with self._lock:
            self.requests.append(Seen(method, path, query, body))
            queued = self.failures.get(path)
            if queued:
                failure = queued.pop(0)
                if isinstance(failure, str) and failure.startswith("http_"):
                    return int(failure[5:]), {}
                return 200, {"errcode": failure, "errmsg": "stub failure"}
            if path == "/cgi-bin/token":
                return 200, self._token(query)
            if path == "/cgi-bin/message/template/send":
                return 200, self._send(query, body)
            if path == "/sns/oauth2/access_token":
                return 200, self._oauth(query)
        return 404, {}

    def _token(self, query: dict[str, str]) -> dict:
        if query.get("grant_type") != "client_credential":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        app_id = query.get("appid", "")
        if app_id not in self.accounts:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        if self.accounts[app_id] != query.get("secret"):
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        token = f"TOKEN-{next(self._counter)}"
        self.tokens[token] = app_id
        return {"access_token": token, "expires_in": 7200}

    def _send(self, query: dict[str, str], body: Any) -> dict:
        if query.get("access_token") not in self.tokens:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
        if not isinstance(body, dict) or body.get("template_id") not in self.templates:
            return {"errcode": 40037, "errmsg": "invalid template_id"}
        if body.get("touser") not in self.followers:
            return {"errcode": 43004, "errmsg": "require subscribe"}
        data = body.get("data")
        if not isinstance(data, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("value"), str) for v in data.values()
        ):
            return {"errcode": 47003, "errmsg": "argument invalid! data.value invalid"}
        msgid = 200_000_000 + next(self._counter)
        self.sent.append({**body, "msgid": msgid})
        return {"errcode": 0, "errmsg": "ok", "msgid": msgid}

    def _oauth(self, query: dict[str, str]) -> dict:
        if query.get("grant_type") != "authorization_code":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        if self.accounts.get(query.get("appid", "")) != query.get("secret"):
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        openid = self.codes.pop(query.get("code", ""), None)  # a code serves once
        if openid is None:
            return {"errcode": 40029, "errmsg": "invalid code"}
        return {
            "access_token": f"WEB-{next(self._counter)}",
            "expires_in": 7200,
            "refresh_token": "REFRESH",
            "openid": openid,
            "scope": "snsapi_base",
        }

    # -- serving ------------------------------------------------------------------------
    def start(self) -> WeChatStub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                status, answer = stub.answer(
                    self.command, parts.path, dict(parse_qsl(parts.query)), body
                )
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
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


@pytest.fixture
def wechat_stub(settings):
    """The stub, serving; estate's WeChat client talks to it."""
    stub = WeChatStub().start()
    settings.WECHAT_API_BASE = stub.base_url
    settings.WECHAT_OPEN_BASE = "https://open.weixin.example"
    yield stub
    stub.stop()


@pytest.fixture
def wechat_account(bsw, wechat_stub):
    """碧水灣's service account, known to the stub, with one template of each form."""
    from estate.messaging.models import WeChatAccount

    wechat_stub.accounts["wx-bsw"] = "secret-bsw"
    wechat_stub.templates |= {"TPL-REPLY", "TPL-DISPATCHED"}
    return WeChatAccount.objects.create(
        office=bsw,
        app_id="wx-bsw",
        app_secret="secret-bsw",
        token="callback-token",
        template_ids={
            "reply": "TPL-REPLY",
            "dispatched": {
                "id": "TPL-DISPATCHED",
                "fields": {"character_string1": "number", "thing2": "team", "time3": "expected"},
            },
        },
    )
