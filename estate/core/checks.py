"""Deploy checks of our own (``manage.py check --deploy``): a production server must not pretend
to send messages it only prints."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register

CONSOLE_SMS = "estate.messaging.sms.ConsoleSms"
CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"


@register(deploy=True)
def messages_really_leave(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if settings.DEBUG:
        return []
    found = []
    if settings.SMS_GATEWAY == CONSOLE_SMS:
        found.append(
            Warning(
                "SMS_GATEWAY is the console gateway: text messages are only written to the log.",
                hint="Set SMS_GATEWAY to your provider's gateway (docs/operations.md, SMS).",
                id="estate.W001",
            )
        )
    if settings.MAILERS["default"]["BACKEND"] == CONSOLE_EMAIL:
        found.append(
            Warning(
                "EMAIL_BACKEND is the console backend: emails are only written to the log.",
                hint="Set EMAIL_BACKEND to the SMTP backend with EMAIL_HOST (docs/operations.md).",
                id="estate.W002",
            )
        )
    return found
