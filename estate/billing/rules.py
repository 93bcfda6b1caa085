"""Fee rules kept as data: late fees an office's contract provides (滯納金規則), vacancy
discounts applied for, inspected and approved (空置減免), and the developer who pays for units
not yet sold or delivered (建設單位, 《物業管理條例》第四十一條)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import Capability
from estate.billing.choices import (
    CapKind,
    LateFeeBasis,
    RequestChannel,
    VacancyStatus,
)
from estate.properties.models import OfficeScoped


class LateFeeRule(OfficeScoped):
    """A late-fee rule (滯納金規則) of one fee item, only where the property service contract
    provides it: the clause is written down, or there is no rule."""

    read_capability = Capability.COLLECT_FEES

    fee_item = models.ForeignKey(
        "billing.FeeItem",
        on_delete=models.PROTECT,
        related_name="late_fee_rules",
        verbose_name=_("fee item"),
    )
    basis = models.CharField(_("charged"), max_length=10, choices=LateFeeBasis.choices)
    rate = models.DecimalField(
        _("rate"),
        max_digits=7,
        decimal_places=3,
        help_text=_("‰ a day, or % a month, of the overdue amount."),
    )
    grace_days = models.PositiveIntegerField(_("grace days after the due date"), default=0)
    cap_kind = models.CharField(
        _("cap"), max_length=10, choices=CapKind.choices, default=CapKind.NONE
    )
    cap = models.DecimalField(
        _("cap value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    contract_reference = models.CharField(
        _("contract clause"),
        max_length=200,
        help_text=_("The clause of the property service contract that provides the late fee."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("late-fee rule")
        verbose_name_plural = _("late-fee rules")
        ordering = ["office_id", "fee_item_id"]
        constraints = [
            models.UniqueConstraint(fields=["fee_item"], name="latefee_one_rule_per_item"),
            models.CheckConstraint(name="latefee_has_clause", condition=~Q(contract_reference="")),
            models.CheckConstraint(name="latefee_rate_positive", condition=Q(rate__gt=0)),
            models.CheckConstraint(
                name="latefee_cap_given",
                condition=Q(cap_kind=CapKind.NONE) | Q(cap__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fee_item_id} {self.rate} {self.basis}"


class VacancyApplication(OfficeScoped):
    """An owner's application for the vacancy discount (空置減免申請): staff inspect the unit,
    the head decides; approved, the unit's fees are discounted from the next run until it ends."""

    read_capability = Capability.COLLECT_FEES

    unit = models.ForeignKey(
        "properties.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    household = models.ForeignKey(
        "properties.Household",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("household"),
    )
    vacant_from = models.DateField(_("vacant from"))
    channel = models.CharField(_("channel"), max_length=10, choices=RequestChannel.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("applied at"))
    status = models.CharField(
        _("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.APPLIED
    )
    found_vacant = models.BooleanField(_("found vacant"), null=True, blank=True)
    inspection_note = models.CharField(_("inspection note"), max_length=200, blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    inspected_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=200, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("vacancy application")
        verbose_name_plural = _("vacancy applications")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["office", "status"], name="vacancy_office_status")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.vacant_from}"


class Developer(OfficeScoped):
    """The developer (建設單位) of an office's sites: the payer of units completed but not yet
    sold or delivered, i.e. units with no household on the register."""

    read_capability = Capability.COLLECT_FEES

    name = models.CharField(_("developer"), max_length=60)
    contact = models.CharField(_("contact"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("developer")
        verbose_name_plural = _("developers")
        constraints = [models.UniqueConstraint(fields=["office"], name="developer_one_per_office")]

    def __str__(self) -> str:
        return self.name
