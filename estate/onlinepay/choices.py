"""Online payment vocabulary: providers, how the payer pays, where a payment stands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Provider(models.TextChoices):
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")


class Channel(models.TextChoices):
    NATIVE = "native", _("WeChat QR code")
    JSAPI = "jsapi", _("Inside WeChat")
    PRECREATE = "precreate", _("Alipay QR code")
    PAGE = "page", _("Alipay page")


CHANNELS = {
    Provider.WECHAT: (Channel.NATIVE, Channel.JSAPI),
    Provider.ALIPAY: (Channel.PRECREATE, Channel.PAGE),
}


class Status(models.TextChoices):
    STARTED = "started", _("Waiting for the payer")
    PAID = "paid", _("Paid")
    EXPIRED = "expired", _("Expired")
    CLOSED = "closed", _("Closed")
    FAILED = "failed", _("Failed")


# Where a payment may go from each status. A payment closed or expired here can still turn out
# paid (the provider's notice came late): the money was taken, so it is recorded.
TRANSITIONS = {
    Status.STARTED: {Status.PAID, Status.EXPIRED, Status.CLOSED, Status.FAILED},
    Status.EXPIRED: {Status.PAID},
    Status.CLOSED: {Status.PAID},
    Status.FAILED: {Status.PAID},
    Status.PAID: set(),
}


class Outcome(models.TextChoices):
    """What a provider's notification did."""

    RECORDED = "recorded", _("Payment recorded")
    ALREADY = "already", _("Already recorded")
    REFUSED = "refused", _("Refused")
    IGNORED = "ignored", _("Not a payment")


class DifferenceKind(models.TextChoices):
    MISSING_HERE = "missing_here", _("In the provider's bill, not recorded here")
    MISSING_THERE = "missing_there", _("Recorded here, not in the provider's bill")
    AMOUNT = "amount", _("Amounts differ")


class RunStatus(models.TextChoices):
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
