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
    LATE_FEE = "late_fee", _("Late fee")
    DISCOUNT = "discount", _("Discount")
    WAIVER = "waiver", _("Waiver")


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


class PayerKind(models.TextChoices):
    """Who a statement is addressed to."""

    HOUSEHOLD = "household", _("Household")
    DEVELOPER = "developer", _("Developer")


class LateFeeBasis(models.TextChoices):
    PER_DAY = "per_day", _("Per day (‰ of the overdue amount)")
    PER_MONTH = "per_month", _("Per month begun (% of the overdue amount)")


class CapKind(models.TextChoices):
    NONE = "none", _("No cap")
    PERCENT = "percent", _("Percent of the overdue amount")
    AMOUNT = "amount", _("Yuan")


class VacancyStatus(models.TextChoices):
    APPLIED = "applied", _("Waiting for inspection")
    INSPECTED = "inspected", _("Inspected, waiting for the head")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ENDED = "ended", _("Ended")


class RequestChannel(models.TextChoices):
    DESK = "desk", _("At the desk")
    PHONE = "phone", _("By phone")
    LETTER = "letter", _("By letter")
    PORTAL = "portal", _("In the portal")


class DepositPurpose(models.TextChoices):
    RENOVATION = "renovation", _("Renovation deposit")
    KEYS = "keys", _("Keys and access cards")
    OTHER = "other", _("Other")


class DepositStatus(models.TextChoices):
    HELD = "held", _("Held")
    REFUND_REQUESTED = "refund_requested", _("Refund waiting for approval")
    REFUNDED = "refunded", _("Refunded")


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")
    APPROVED = "approved", _("Approved and paid out")
    REJECTED = "rejected", _("Rejected")
