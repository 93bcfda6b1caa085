"""Billing vocabulary: kinds of fees, how they are computed and split, payments and reversals."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeeKind(models.TextChoices):
    MANAGEMENT = "management", _("Management fee")
    WATER = "water", _("Water apportionment")
    ELECTRICITY = "electricity", _("Electricity apportionment")
    PARKING = "parking", _("Parking")
    OTHER = "other", _("Other")


class Basis(models.TextChoices):
    """How a fee item's amount is found."""

    AREA_MONTH = "area_month", _("Floor area × rate per m² per month")
    UNIT_MONTH = "unit_month", _("Fixed amount per unit per month")
    SHARED_USAGE = "shared_usage", _("Share of a shared meter's usage × price")


class SplitMethod(models.TextChoices):
    AREA = "area", _("By floor area")
    EQUAL = "equal", _("Equally")
    SUB_METER = "sub_meter", _("By sub-meter usage")


class LineKind(models.TextChoices):
    FEE = "fee", _("Fee")
    APPORTIONMENT = "apportionment", _("Apportionment")
    ADJUSTMENT = "adjustment", _("Adjustment")
    CREDIT = "credit", _("Credit")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    ISSUED = "issued", _("Issued")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    CARD = "card", _("Bank card")


class ReversalKind(models.TextChoices):
    VOID = "void", _("Void")
    REFUND = "refund", _("Refund")


class ReversalStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


MONTHS_PER_QUARTER = 3
