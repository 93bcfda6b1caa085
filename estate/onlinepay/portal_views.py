"""The resident's side: pay a statement by WeChat Pay or Alipay from the portal. A QR code to scan
elsewhere (with a status that looks again every 3 seconds), WeChat's own payment sheet inside
WeChat, or Alipay's page."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from estate.core.htmx import render_page
from estate.messaging.models import WeChatBinding
from estate.onlinepay import actions, wechatpay
from estate.onlinepay.choices import Channel, Provider, Status
from estate.onlinepay.models import OnlinePayment
from estate.portal.bills import my_statements
from estate.portal.residents import resident_of


def inside_wechat(request: HttpRequest) -> bool:
    return "micromessenger" in request.headers.get("User-Agent", "").lower()


def _mine(request: HttpRequest, number: str) -> OnlinePayment:
    return get_object_or_404(
        OnlinePayment.objects.filter(statement__in=my_statements(request)).select_related(
            "statement", "merchant"
        ),
        out_trade_no=number,
    )


@login_required(login_url="portal:sign_in")
@require_POST
def start(request: HttpRequest, pk: int, provider: str) -> HttpResponse:
    statement = get_object_or_404(my_statements(request), pk=pk)
    if provider not in Provider.values:
        return redirect("portal:bills")
    merchant = actions.merchant_for(statement.office_id, provider)
    openid = ""
    if provider == Provider.WECHAT:
        channel = Channel.NATIVE
        if inside_wechat(request) and merchant is not None:
            openid = (
                WeChatBinding.objects.filter(
                    resident=resident_of(request), account__app_id=merchant.app_id
                )
                .values_list("openid", flat=True)
                .first()
                or ""
            )
            channel = Channel.JSAPI if openid else Channel.NATIVE
    else:
        channel = Channel.PAGE if request.POST.get("channel") == Channel.PAGE else Channel.PRECREATE
    try:
        payment = actions.start_payment(
            statement,
            provider=provider,
            channel=channel,
            by=request.user,
            openid=openid,
            notify_url=request.build_absolute_uri(
                reverse(f"onlinepay:{provider}_notify", args=[merchant.pk if merchant else 0])
            ),
            return_url=request.build_absolute_uri(reverse("portal:bills")),
        )
    except ValidationError as error:
        for problems in error.message_dict.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect("portal:bills")
    if payment.channel == Channel.PAGE:
        return redirect(payment.pay_url)
    return redirect("portal_pay:page", payment.out_trade_no)


@login_required(login_url="portal:sign_in")
@require_GET
def page(request: HttpRequest, number: str) -> HttpResponse:
    payment = _mine(request, number)
    context: dict = {"payment": payment, "open": payment.status == Status.STARTED}
    if payment.code_url and payment.status == Status.STARTED:
        context["qr"] = segno.make(payment.code_url, error="m").svg_inline(
            scale=6, title=payment.statement.number
        )
    if payment.prepay_id and payment.status == Status.STARTED:
        context["jsapi"] = wechatpay.jsapi_parameters(payment.merchant, payment.prepay_id)
    return render(request, "onlinepay/pay.html", context)


@login_required(login_url="portal:sign_in")
@require_GET
def status(request: HttpRequest, number: str) -> HttpResponse:
    """The status partial the payment page asks for every 3 seconds until it is not open."""
    payment = _mine(request, number)
    context = {"payment": payment, "open": payment.status == Status.STARTED}
    return render_page(request, "onlinepay/pay.html", context, partial="status")
