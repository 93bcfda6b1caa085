"""The providers' callbacks (回調): delivery receipts and replies by SMS. No sign-in and no
CSRF token (the provider posts them); the shared secret ``SMS_CALLBACK_TOKEN`` in the address's
``token`` parameter keeps strangers from forging them. Each answers as its provider expects."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from estate.messaging.callbacks import PROVIDERS
from estate.messaging.receipts import parse_receipts, settle_receipt
from estate.messaging.replies import take_replies

log = logging.getLogger("estate.sms")


def _answer(provider: str, *, ok: bool, status: int = 200) -> JsonResponse:
    if provider == "aliyun":
        body: dict[str, object] = {"code": 0, "msg": "成功"} if ok else {"code": 1, "msg": "失败"}
    else:
        body = {"result": 0, "errmsg": "OK"} if ok else {"result": 1, "errmsg": "refused"}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _callback(handle: Callable[[str, bytes], object]) -> Callable[[HttpRequest, str], JsonResponse]:
    @csrf_exempt
    @require_POST
    def view(request: HttpRequest, provider: str) -> JsonResponse:
        expected = settings.SMS_CALLBACK_TOKEN
        if provider not in PROVIDERS or not expected:
            raise Http404
        given = request.GET.get("token", "")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            log.warning("SMS %s callback with a wrong token refused", provider)
            return _answer(provider, ok=False, status=403)
        try:
            handle(provider, request.body)
        except ValueError:
            log.warning("SMS %s callback with a body it cannot read", provider)
            return _answer(provider, ok=False, status=400)
        return _answer(provider, ok=True)

    return view


@transaction.atomic
def _settle(provider: str, body: bytes) -> int:
    return sum(settle_receipt(receipt) for receipt in parse_receipts(provider, body))


receipts = _callback(_settle)
replies = _callback(take_replies)
