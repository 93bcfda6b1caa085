"""The SMS providers' callbacks, under /hooks/sms/ (see hooks.py)."""

from django.urls import path

from estate.messaging import hooks

app_name = "messaging_hooks"

urlpatterns = [
    path("<str:provider>/receipts/", hooks.receipts, name="sms_receipts"),
    path("<str:provider>/replies/", hooks.replies, name="sms_replies"),
]
