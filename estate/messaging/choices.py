"""The vocabulary of messages to requesters: what a message is about, the channels, a delivery's
states, where a consent came from."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    """What a message tells the requester; each kind has its own template and placeholders."""

    RECEIVED = "received", pgettext_lazy("message kind", "Request received")
    DISPATCHED = "dispatched", pgettext_lazy("message kind", "Team dispatched")
    PROMISED = "promised", pgettext_lazy("message kind", "Time promised")
    ON_HOLD = "on_hold", pgettext_lazy("message kind", "On hold")
    RESUMED = "resumed", pgettext_lazy("message kind", "Work resumed")
    COMPLETED = "completed", pgettext_lazy("message kind", "Job completed")
    REPLY = "reply", pgettext_lazy("message kind", "Reply from the office")
    UPDATE = "update", pgettext_lazy("message kind", "News on the job")
    REOPENED = "reopened", pgettext_lazy("message kind", "Order reopened")
    RATE = "rate", pgettext_lazy("message kind", "Invitation to rate")
    BILL_ISSUED = "bill_issued", pgettext_lazy("message kind", "Bill issued")
    PAYMENT_RECEIVED = "payment_received", pgettext_lazy("message kind", "Payment received")
    ARREARS = "arrears", pgettext_lazy("message kind", "Arrears reminder")
    NOTICE = "notice", pgettext_lazy("message kind", "Notice published")
    INTERRUPTION = "interruption", pgettext_lazy("message kind", "Planned interruption")
    INVOICE_ISSUED = "invoice_issued", pgettext_lazy("message kind", "Invoice issued")
    # Texts that are not messages to requesters but go by SMS too, so need a template.
    SIGN_IN_CODE = "sign_in_code", pgettext_lazy("message kind", "Sign-in code")
    QUESTIONNAIRE = "questionnaire", pgettext_lazy("message kind", "Questionnaire link")
    STAFF_ALERT = "staff_alert", pgettext_lazy("message kind", "Alert to staff")


# Kinds whose words are not the office's to write (codes, staff alerts): SMS templates only.
SMS_ONLY_KINDS = frozenset({Kind.SIGN_IN_CODE, Kind.QUESTIONNAIRE, Kind.STAFF_ALERT})


# Kinds told to many households at once (``broadcast``, ``household_events``).
TOLD_TO_MANY = frozenset({Kind.BILL_ISSUED, Kind.ARREARS, Kind.NOTICE, Kind.INTERRUPTION})


# Kinds that reach the requester even in their quiet hours.
URGENT_KINDS = frozenset({Kind.INTERRUPTION})


class Channel(models.TextChoices):
    """A channel outside estate; the portal inbox holds every message whatever the channels."""

    SMS = "sms", _("Text message")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("Email")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    HELD = "held", _("Held for quiet hours")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Could not be delivered")
    CANCELLED = "cancelled", _("Not sent")


OPEN_DELIVERY_STATES = frozenset({DeliveryState.PENDING, DeliveryState.HELD, DeliveryState.SENDING})
REACHED_STATES = frozenset({DeliveryState.SENT, DeliveryState.DELIVERED})


class ConsentSource(models.TextChoices):
    PORTAL = "portal", _("In the portal")
    DESK = "desk", _("Told the desk")
    WECHAT = "wechat", _("Bound WeChat")
    WRITTEN = "written", _("In writing")


# Consent the desk takes down: said on the phone or at the counter, or handed in on paper; for
# texts and email (WeChat is consented to by binding it, in the portal).
DESK_CONSENT_SOURCES = (ConsentSource.DESK, ConsentSource.WRITTEN)
DESK_CONSENT_CHANNELS = (Channel.SMS, Channel.EMAIL)
