"""Addresses outside systems call, under /hooks/ (no sign-in, no CSRF token; each checked by
its provider's signature or a shared secret): the SMS providers' receipts and replies
(``sms_hooks``), WeChat's pushes and email coming in (``hooks``)."""

from django.urls import path

from estate.messaging import hooks, sms_hooks

app_name = "hooks"
urlpatterns = [
    path("sms/<str:provider>/receipts/", sms_hooks.receipts, name="sms_receipts"),
    path("sms/<str:provider>/replies/", sms_hooks.replies, name="sms_replies"),
    path("wechat/<str:app_id>/", hooks.wechat_push, name="wechat"),
    path("email/inbound/", hooks.email_in, name="email_inbound"),
]
