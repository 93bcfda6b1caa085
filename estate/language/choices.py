"""Civil-language vocabulary: the situations phrases are for, and what the guard does on a hit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Situation(models.TextChoices):
    GREETING = "greeting", _("Greeting")
    PHONE_OPENING = "phone_opening", _("Opening a call")
    PHONE_CLOSING = "phone_closing", _("Closing a call")
    ASKING = "asking", _("Asking and explaining")
    WAITING = "waiting", _("Asking to wait")
    APOLOGISING = "apologising", _("Apologising")
    REFUSING = "refusing", _("Refusing politely")
    REFERRING = "referring", _("Referring elsewhere")
    THANKING = "thanking", _("Thanking")
    FAREWELL = "farewell", _("Farewell")


class GuardMode(models.TextChoices):
    BLOCK = "block", _("Block the text")
    WARN = "warn", _("Warn, and let it through")


class Channel(models.TextChoices):
    """Where staff wrote the text that was checked."""

    REPLY = "reply", _("Work-order reply")
    UPDATE = "update", _("Update to the requester")
    PROMISE = "promise", _("Promise to the requester")
    OPINION_ANSWER = "opinion_answer", _("Answer to an opinion")
    NOTICE = "notice", _("Notice")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")
    HANDOUT = "handout", _("One-time-notification handout")
    ARTICLE = "article", _("Public article")
    PORTAL = "portal", _("Portal message")
    SMS = "sms", _("SMS")
