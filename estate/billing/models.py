"""Fees and collection (R-A6): fee items and their rates, shared meters and their readings, the
quarterly bill run, statements and their lines, payments, reversals and owners' remarks.

Money is Decimal yuan with two places, rounded half up (``core.money``); shares are split
with the largest remainder, so the parts add up exactly."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import Capability
from estate.billing.choices import (
    Basis,
    FeeKind,
    LineKind,
    PayerKind,
    PaymentMethod,
    ReversalKind,
    ReversalStatus,
    RunStatus,
    SplitMethod,
)
from estate.properties.models import OfficeScoped


def money(verbose_name: Any, **options: Any) -> models.DecimalField:
    """Yuan with two places."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **options)


class FeeItem(OfficeScoped):
    """A fee the office bills (收費項目): management fee, water or electricity apportionment, parking…"""

    read_capability = Capability.COLLECT_FEES

    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=FeeKind.choices)
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    is_active = models.BooleanField(_("active"), default=True)
    # Data, not code: the percent taken off this fee for a unit whose vacancy discount the head
    # approved (empty: the fee has none).
    vacancy_discount = models.DecimalField(
        _("vacancy discount (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        ordering = ["office_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="feeitem_unique_name"),
            models.CheckConstraint(
                name="feeitem_discount_percent",
                condition=Q(vacancy_discount__isnull=True)
                | Q(vacancy_discount__gt=0, vacancy_discount__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FeeRate(OfficeScoped):
    """A rate of a fee item from a day on, for units of one use (or any use when blank):
    yuan per m² per month, per unit per month, or per unit of usage (m³, kWh)."""

    read_capability = Capability.COLLECT_FEES

    fee_item = models.ForeignKey(FeeItem, on_delete=models.CASCADE, related_name="rates")
    unit_use = models.CharField(_("unit use"), max_length=20, blank=True)
    amount = models.DecimalField(_("rate (yuan)"), max_digits=12, decimal_places=4)
    effective_from = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("fee rate")
        verbose_name_plural = _("fee rates")
        ordering = ["fee_item_id", "unit_use", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["fee_item", "unit_use", "effective_from"], name="feerate_unique_start"
            ),
            models.CheckConstraint(name="feerate_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.fee_item} {self.unit_use or '*'} {self.amount}"


class Meter(OfficeScoped):
    """A meter (水錶/電錶). A shared meter (no parent) serves several units and its shared usage is
    apportioned; a sub-meter (with a parent) measures one unit's own usage under it."""

    read_capability = Capability.COLLECT_FEES

    name = models.CharField(_("name"), max_length=60)
    fee_item = models.ForeignKey(
        FeeItem, on_delete=models.PROTECT, related_name="meters", verbose_name=_("fee item")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_meters",
        verbose_name=_("shared meter"),
    )
    unit = models.ForeignKey(
        "properties.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meters",
        verbose_name=_("unit"),
    )
    split_method = models.CharField(
        _("split by"), max_length=20, choices=SplitMethod.choices, default=SplitMethod.AREA
    )
    vacant_units_share = models.BooleanField(
        _("vacant units share"),
        default=False,
        help_text=_("Off: the shared usage is split over lived-in units only."),
    )
    serves = models.ManyToManyField(
        "properties.Unit", blank=True, related_name="shared_meters", verbose_name=_("units served")
    )

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["office_id", "name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="meter_unique_name")]

    def __str__(self) -> str:
        return self.name


class MeterReading(OfficeScoped):
    """A meter's readings at the start and end of a quarter (上期讀數/本期讀數). For a shared meter,
    ``shared_usage`` may be given instead of total − Σ sub-meters."""

    read_capability = Capability.COLLECT_FEES

    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="readings")
    quarter = models.CharField(_("quarter"), max_length=6)
    previous = models.DecimalField(_("previous reading"), max_digits=14, decimal_places=2)
    current = models.DecimalField(_("current reading"), max_digits=14, decimal_places=2)
    shared_usage = models.DecimalField(
        _("shared usage given"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    read_on = models.DateField(_("read on"))

    class Meta:
        verbose_name = _("meter reading")
        verbose_name_plural = _("meter readings")
        ordering = ["meter_id", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["meter", "quarter"], name="reading_once_per_quarter"),
            models.CheckConstraint(
                name="reading_not_backwards", condition=Q(current__gte=F("previous"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meter} {self.quarter}"

    @property
    def usage(self) -> Decimal:
        return self.current - self.previous


class BillRun(OfficeScoped):
    """One quarter's bill run for an office or one building: next quarter's fees and last
    quarter's apportionment, one statement per household."""

    read_capability = Capability.COLLECT_FEES

    quarter = models.CharField(_("quarter"), max_length=6)
    building = models.ForeignKey(
        "properties.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("building"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("started by")
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    statements_issued = models.PositiveIntegerField(_("statements"), default=0)

    class Meta:
        verbose_name = _("bill run")
        verbose_name_plural = _("bill runs")
        ordering = ["-quarter", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "quarter"],
                condition=Q(building__isnull=True),
                name="billrun_once_per_office_quarter",
            ),
            models.UniqueConstraint(
                fields=["office", "quarter", "building"],
                condition=Q(building__isnull=False),
                name="billrun_once_per_building_quarter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarter} {self.building or ''}".strip()


class Statement(OfficeScoped):
    """A unit's statement for a quarter (繳費通知單), to its household or, for a unit not yet
    sold or delivered, to the developer (建設單位): its lines add up to ``total``."""

    read_capability = Capability.COLLECT_FEES

    run = models.ForeignKey(BillRun, on_delete=models.PROTECT, related_name="statements")
    quarter = models.CharField(_("quarter"), max_length=6)
    number = models.CharField(_("number"), max_length=40, unique=True)
    payer_kind = models.CharField(
        _("payer is"), max_length=10, choices=PayerKind.choices, default=PayerKind.HOUSEHOLD
    )
    household = models.ForeignKey(
        "properties.Household",
        on_delete=models.PROTECT,
        related_name="statements",
        null=True,
        blank=True,
    )
    unit = models.ForeignKey("properties.Unit", on_delete=models.PROTECT, related_name="statements")
    building = models.ForeignKey(
        "properties.Building", on_delete=models.PROTECT, related_name="statements"
    )
    payer = models.CharField(_("payer"), max_length=60)
    total = money(_("total"))
    paid = money(_("paid"), default=Decimal("0.00"))
    due_on = models.DateField(_("due on"))
    issued_at = models.DateTimeField(_("issued at"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivered by"),
    )

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["quarter", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "quarter"], name="statement_once_per_household_quarter"
            ),
            models.UniqueConstraint(fields=["unit", "quarter"], name="statement_once_per_unit"),
            models.CheckConstraint(
                name="statement_payer_known",
                condition=Q(payer_kind=PayerKind.HOUSEHOLD, household__isnull=False)
                | Q(payer_kind=PayerKind.DEVELOPER, household__isnull=True),
            ),
        ]
        indexes = [
            models.Index(fields=["office", "quarter", "building"], name="statement_office_quarter")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def balance(self) -> Decimal:
        return self.total - self.paid


class StatementLine(models.Model):
    """One line of a statement, with its basis (area, share, usage, price) written out."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=20, choices=LineKind.choices)
    fee_item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, null=True, blank=True)
    description = models.CharField(_("item"), max_length=100)
    basis = models.CharField(_("basis"), max_length=200)
    amount = money(_("amount"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A late fee: the overdue statement it is charged on, and the day it was counted up to (the
    # next run counts on from there). A carried prepayment: the statement the money came from.
    source = models.ForeignKey(
        "Statement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accrued_through = models.DateField(null=True, blank=True)
    # A waiver line negates the late-fee line it names (at most one waiver a line).
    waives = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="waiver"
    )

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement_id", "id"]

    def __str__(self) -> str:
        return f"{self.description} {self.amount}"


class Apportionment(OfficeScoped):
    """A shared meter's quarter, split over the units it serves (分攤): what was shared, at what price."""

    read_capability = Capability.COLLECT_FEES

    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="apportionments")
    quarter = models.CharField(_("quarter"), max_length=6)
    shared_usage = models.DecimalField(_("shared usage"), max_digits=14, decimal_places=2)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=4)
    total = money(_("amount shared"))
    unbilled = money(_("borne by the office (vacant units)"), default=Decimal("0.00"))
    split_method = models.CharField(_("split by"), max_length=20, choices=SplitMethod.choices)

    class Meta:
        verbose_name = _("apportionment")
        verbose_name_plural = _("apportionments")
        constraints = [
            models.UniqueConstraint(
                fields=["meter", "quarter"], name="apportionment_once_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meter} {self.quarter}"


class Payment(OfficeScoped):
    """Money received for a statement (收款), with a receipt; never deleted, only reversed."""

    read_capability = Capability.COLLECT_FEES

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="payments")
    amount = money(_("amount"))
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    is_prepayment = models.BooleanField(_("includes a prepayment"), default=False)
    receipt_number = models.CharField(_("receipt number"), max_length=40, unique=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("received by")
    )
    received_at = models.DateTimeField(_("received at"))
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, editable=False)
    request_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="payment_idempotency_key",
            ),
            models.CheckConstraint(name="payment_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return self.receipt_number


class Reversal(OfficeScoped):
    """A void (作廢, the payment never happened) or a refund (退款, money given back) of a payment,
    requested with a reason and taking effect once approved by the head."""

    read_capability = Capability.COLLECT_FEES

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="reversals")
    kind = models.CharField(_("kind"), max_length=10, choices=ReversalKind.choices)
    amount = money(_("amount"))
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ReversalStatus.choices, default=ReversalStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reversal")
        verbose_name_plural = _("reversals")
        ordering = ["requested_at", "id"]
        constraints = [models.CheckConstraint(name="reversal_positive", condition=Q(amount__gt=0))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class Remark(OfficeScoped):
    """What an owner said when paying (業主意見): answered by the cashier, or escalated to the head
    as a work order. Listed until one of the two happens."""

    read_capability = Capability.COLLECT_FEES

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="remarks")
    text = models.TextField(_("what the owner said"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    work_order = models.OneToOneField(
        "workorders.WorkOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="billing_remark",
        verbose_name=_("escalated as"),
    )

    class Meta:
        verbose_name = _("owner's remark")
        verbose_name_plural = _("owners' remarks")
        ordering = ["taken_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


# Fee rules, vacancy discounts, developers and deposits live in modules of their own.
from estate.billing.deposits_models import Deposit, DepositDeduction, DepositRefund  # noqa: E402
from estate.billing.rules import Developer, LateFeeRule, VacancyApplication  # noqa: E402

__all__ = [
    "Apportionment", "BillRun", "Deposit", "DepositDeduction", "DepositRefund", "Developer",
    "FeeItem", "FeeRate", "LateFeeRule", "Meter", "MeterReading", "Payment", "Remark", "Reversal",
    "Statement", "StatementLine", "VacancyApplication",
]  # fmt: skip
