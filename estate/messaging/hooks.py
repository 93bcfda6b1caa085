"""Addresses outside systems call (no login, no CSRF): WeChat's pushes to the service account,
checked by their signature, and email coming in, checked by a shared secret."""

from __future__ import annotations

import hmac
import logging

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from estate.messaging import inbound_email, wechat, wechat_inbound
from estate.messaging.models import WeChatAccount

log = logging.getLogger("estate.hooks")


def _too_long(request: HttpRequest, limit: int) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return True


@csrf_exempt
@require_http_methods(["GET", "POST"])
def wechat_push(request: HttpRequest, app_id: str) -> HttpResponse:
    """The account's server address (服務器地址): GET is WeChat checking it (answer the echostr),
    POST a message or event; both signed with the account's token."""
    account = WeChatAccount.objects.select_related("office").filter(app_id=app_id).first()
    if account is None:
        raise Http404
    query = request.GET
    if not wechat.signature_ok(
        token=account.token,
        timestamp=query.get("timestamp", ""),
        nonce=query.get("nonce", ""),
        signed=query.get("signature", ""),
    ):
        return HttpResponseForbidden()
    if request.method == "GET":
        return HttpResponse(query.get("echostr", ""), content_type="text/plain")
    if _too_long(request, wechat_inbound.MAX_BODY_BYTES):
        return HttpResponse(status=413)
    try:
        push = wechat_inbound.parse_push(request.read(wechat_inbound.MAX_BODY_BYTES + 1))
    except wechat_inbound.BadPush as bad:
        log.warning("WeChat push refused: %s", bad)
        return HttpResponseBadRequest()
    wechat_inbound.take_push(account=account, push=push)
    # "success": WeChat shows the person nothing and does not try again.
    return HttpResponse("success", content_type="text/plain")


def _token_ok(request: HttpRequest) -> bool:
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    given = given or request.headers.get("X-Estate-Token", "") or request.GET.get("token", "")
    return hmac.compare_digest(given.encode(), settings.INBOUND_EMAIL_TOKEN.encode())


@csrf_exempt
@require_POST
def email_in(request: HttpRequest) -> HttpResponse:
    """A raw email (RFC 822): the body as ``message/rfc822``, or a form's field ``message``."""
    if not settings.INBOUND_EMAIL_TOKEN:
        raise Http404  # the webhook is off
    if not _token_ok(request):
        return HttpResponseForbidden()
    limit = settings.INBOUND_EMAIL_MAX_BYTES
    if _too_long(request, limit):
        return JsonResponse({"error": "the message is too large"}, status=413)
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("message")
        if upload is not None:
            raw = upload.read(limit + 1)
        else:
            raw = request.POST.get("message", "").encode("utf-8", "surrogateescape")
    else:
        raw = request.read(limit + 1)
    if len(raw) > limit:
        return JsonResponse({"error": "the message is too large"}, status=413)
    try:
        taken = inbound_email.take_email(raw=raw)
    except inbound_email.BadEmail as bad:
        return JsonResponse({"error": str(bad)}, status=400)
    except inbound_email.NoOffice as lost:
        log.warning("Inbound email for no office: %s", lost)
        return JsonResponse({"error": str(lost)}, status=422)
    return JsonResponse(
        {
            "taken": taken.taken,
            "office": taken.office.code,
            "kept": taken.kept,
            "dropped": taken.dropped,
        }
    )
