"""The providers' notifications (no sign-in, no CSRF token): each verified by the provider's
signature with the merchant account's keys, then taken once by ``actions.take_notification``."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from estate.onlinepay import actions, alipay, wechatpay
from estate.onlinepay.choices import Provider
from estate.onlinepay.keys import KeyMissing
from estate.onlinepay.models import MerchantAccount
from estate.onlinepay.protocol import BadNotification

log = logging.getLogger("estate.onlinepay")


@csrf_exempt
@require_POST
def wechat_notify(request: HttpRequest, merchant_id: int) -> HttpResponse:
    """WeChat Pay v3's payment notice: 204 when taken (or taken before, or refused and kept: no
    point in WeChat sending it again), 401 when its signature does not verify."""
    merchant = get_object_or_404(MerchantAccount, pk=merchant_id, provider=Provider.WECHAT)
    try:
        notice = wechatpay.read_notification(merchant, dict(request.headers), request.body)
    except (BadNotification, KeyMissing) as error:
        log.warning("WeChat Pay notice refused for merchant %s: %s", merchant.pk, error)
        return JsonResponse({"code": "FAIL", "message": "signature"}, status=401)
    actions.take_notification(merchant, notice)
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def alipay_notify(request: HttpRequest, merchant_id: int) -> HttpResponse:
    """Alipay's async notification: it stops sending once it reads ``success``."""
    merchant = get_object_or_404(MerchantAccount, pk=merchant_id, provider=Provider.ALIPAY)
    try:
        notice = alipay.read_notification(merchant, request.body)
    except (BadNotification, KeyMissing) as error:
        log.warning("Alipay notice refused for merchant %s: %s", merchant.pk, error)
        return HttpResponse("fail", status=400, content_type="text/plain")
    actions.take_notification(merchant, notice)
    return HttpResponse("success", content_type="text/plain")
