"""Binding the resident's WeChat in the portal (網頁授權, snsapi_base): the page shows whether it
is bound; binding goes to WeChat's authorisation page and comes back with a code, which
WeChat exchanges for the resident's openid. The round trip carries a signed state, bound to
the resident and the account, valid for ten minutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from estate.messaging import wechat
from estate.messaging.models import WeChatAccount, WeChatBinding
from estate.messaging.wechat_binding import bind_wechat, unbind_wechat
from estate.portal.residents import resident_of
from estate.properties.models import Resident

STATE_SALT = "estate.portal.wechat.bind"
STATE_SECONDS = 600


def _state(resident: Resident, account: WeChatAccount) -> str:
    # WeChat passes back only letters and digits (at most 128): the signed value, in hex.
    signed = signing.TimestampSigner(salt=STATE_SALT).sign(f"{resident.pk}.{account.pk}")
    return signed.encode().hex()


def _state_ok(state: str, resident: Resident, account: WeChatAccount) -> bool:
    try:
        value = signing.TimestampSigner(salt=STATE_SALT).unsign(
            bytes.fromhex(state).decode(), max_age=STATE_SECONDS
        )
    except (ValueError, UnicodeDecodeError, signing.BadSignature):
        return False
    return value == f"{resident.pk}.{account.pk}"


def _account(resident: Resident) -> WeChatAccount | None:
    return WeChatAccount.objects.filter(office_id=resident.office_id).first()


@login_required(login_url="portal:sign_in")
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request)
    account = _account(resident)
    binding = WeChatBinding.objects.filter(resident=resident).first() if account else None
    return render(request, "portal/wechat.html", {"account": account, "binding": binding})


@login_required(login_url="portal:sign_in")
@require_POST
def bind(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request)
    account = _account(resident)
    if account is None:
        raise Http404
    back = request.build_absolute_uri(reverse("portal:wechat_callback"))
    return redirect(
        wechat.authorize_url(account=account, redirect_uri=back, state=_state(resident, account))
    )


@login_required(login_url="portal:sign_in")
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request)
    account = _account(resident)
    if account is None:
        raise Http404
    code, state = request.GET.get("code", ""), request.GET.get("state", "")
    if not code or not _state_ok(state, resident, account):
        messages.error(
            request, gettext("The WeChat binding was not completed: please start again.")
        )
        return redirect("portal:wechat")
    try:
        openid = wechat.openid_for_code(account=account, code=code)
        bind_wechat(account=account, resident=resident, openid=openid)
    except wechat.BindingFailed as failed:
        messages.error(request, str(failed))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request, gettext("Your WeChat is bound: the office will message you there.")
        )
    return redirect("portal:wechat")


@login_required(login_url="portal:sign_in")
@require_POST
def unbind(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request)
    if unbind_wechat(resident=resident):
        messages.success(
            request,
            gettext("Your WeChat is no longer bound; the office will not message you there."),
        )
    return redirect("portal:wechat")
