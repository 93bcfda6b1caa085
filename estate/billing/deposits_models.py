"""Deposits (押金), e.g. for a renovation (裝修押金): money held, not billed, then refunded in
full or in part with deductions, once the head approves."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import Capability
from estate.billing.choices import DepositPurpose, DepositStatus, PaymentMethod, RefundStatus
from estate.properties.models import OfficeScoped


def money(verbose_name: Any) -> models.DecimalField:
    """Yuan with two places (as ``billing.models.money``, which imports this module)."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2)


class Deposit(OfficeScoped):
    """A deposit received (押金): held by the office, never a statement line nor in the
    collection rate."""

    read_capability = Capability.COLLECT_FEES

    unit = models.ForeignKey(
        "properties.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    household = models.ForeignKey(
        "properties.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
    )
    payer = models.CharField(_("paid by"), max_length=60)
    purpose = models.CharField(_("purpose"), max_length=20, choices=DepositPurpose.choices)
    amount = money(_("amount"))
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=40, unique=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"))
    status = models.CharField(
        _("status"), max_length=20, choices=DepositStatus.choices, default=DepositStatus.HELD
    )

    class Meta:
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        ordering = ["-received_at", "-id"]
        constraints = [models.CheckConstraint(name="deposit_positive", condition=Q(amount__gt=0))]

    def __str__(self) -> str:
        return self.receipt_number


class DepositRefund(OfficeScoped):
    """A deposit's refund (退還押金): the deposit less its deductions, asked for by one person
    and approved by the head, who must be someone else."""

    read_capability = Capability.COLLECT_FEES

    deposit = models.ForeignKey(Deposit, on_delete=models.PROTECT, related_name="refunds")
    amount = money(_("refunded"))
    status = models.CharField(
        _("status"), max_length=10, choices=RefundStatus.choices, default=RefundStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deposit refund")
        verbose_name_plural = _("deposit refunds")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(name="deposit_refund_not_negative", condition=Q(amount__gte=0))
        ]

    def __str__(self) -> str:
        return f"{self.deposit_id} {self.amount}"


class DepositDeduction(models.Model):
    """One deduction from a deposit's refund (扣款), with its reason."""

    refund = models.ForeignKey(DepositRefund, on_delete=models.CASCADE, related_name="deductions")
    amount = money(_("amount"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("deduction")
        verbose_name_plural = _("deductions")
        ordering = ["refund_id", "id"]
        constraints = [
            models.CheckConstraint(name="deduction_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(name="deduction_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.reason}"
