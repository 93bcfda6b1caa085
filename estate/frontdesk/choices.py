"""Front-desk vocabulary: how a contact came in and how it ended."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    CALL = "call", _("Call")
    VISIT = "visit", _("Visit")
    WRITTEN = "written", _("Letter or written")
    ONLINE = "online", _("Online")
    SMS = "sms", _("Text message")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("Email")


# Channels a contact arrives by without anybody at the desk taking it.
BY_ITSELF = frozenset({Channel.SMS, Channel.WECHAT, Channel.EMAIL})


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Answered on the spot")
    WORK_ORDER = "work_order", _("Work order opened")
    REFERRED = "referred", _("Referred to another department")
    INFORMATION = "information", _("Information given")
    ADDED_TO_ORDER = "added_to_order", _("Added to an open order")


class FeeKind(models.TextChoices):
    FREE = "free", _("Free")
    PRICED = "priced", _("Charged (see price list)")


THREE_RINGS_SECONDS = 15
