"""The vocabulary of dunning (催繳): how a household was reminded, what came of it, how a formal
demand (催告函) reached it and where the demand stands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttemptChannel(models.TextChoices):
    SMS = "sms", _("Text message")
    WECHAT = "wechat", _("WeChat")
    PHONE = "phone", _("Phone call")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Door visit")
    PORTAL = "portal", _("Notice in the portal")


# The channels staff record by hand; texts, WeChat and the portal are recorded by estate when
# its messaging sends them (a text sent from a private phone is recorded as "other" with a note).
RECORDED_BY_HAND = (
    AttemptChannel.PHONE,
    AttemptChannel.VISIT,
    AttemptChannel.LETTER,
    AttemptChannel.SMS,
    AttemptChannel.WECHAT,
)


class AttemptResult(models.TextChoices):
    PENDING = "pending", _("Sent, no result yet")
    DELIVERED = "delivered", _("Delivered")
    NOT_REACHED = "not_reached", _("Not reached")
    PROMISED = "promised", _("Promised to pay")
    REFUSED = "refused", _("Refused to pay")
    OTHER = "other", _("Other")


class DeliveryMethod(models.TextChoices):
    SIGNED = "signed", _("Signed receipt")
    REGISTERED = "registered", _("Registered mail")
    ELECTRONIC = "electronic", _("Electronic delivery")


class DemandStatus(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    ISSUED = "issued", _("Issued")
    DELIVERED = "delivered", _("Delivered")
