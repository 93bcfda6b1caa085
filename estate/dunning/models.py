"""Dunning with a trail (催繳記錄): every reminder to a household that owes, by whatever channel,
with its result; and the formal demand (催告函) that 《民法典》第九百四十四條 expects before an
office may sue, with the proof that it reached the household."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import Capability
from estate.billing.models import money
from estate.dunning.choices import AttemptChannel, AttemptResult, DeliveryMethod, DemandStatus
from estate.properties.models import OfficeScoped


class ReminderAttempt(OfficeScoped):
    """One reminder to a household of what it owes (催繳記錄): channel, when, by whom (nobody for
    estate's own messages) and what came of it."""

    read_capability = Capability.COLLECT_FEES

    household = models.ForeignKey(
        "properties.Household",
        on_delete=models.PROTECT,
        related_name="reminder_attempts",
        verbose_name=_("household"),
    )
    statements = models.ManyToManyField(
        "billing.Statement", related_name="reminder_attempts", verbose_name=_("statements")
    )
    owed = money(_("owed at the time"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=AttemptChannel.choices)
    at = models.DateTimeField(_("at"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    result = models.CharField(_("result"), max_length=12, choices=AttemptResult.choices)
    promised_on = models.DateField(_("promised to pay by"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Sent by estate's messaging: its deliveries' results update this row.
    message = models.OneToOneField(
        "messaging.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminder_attempt",
        verbose_name=_("message"),
    )

    class Meta:
        verbose_name = _("reminder attempt")
        verbose_name_plural = _("reminder attempts")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["household", "-at"], name="attempt_latest")]

    def __str__(self) -> str:
        return f"{self.household_id} · {self.channel} · {self.at:%Y-%m-%d}"


class FormalDemand(OfficeScoped):
    """A formal demand to pay within a reasonable time (催告函), printed as a PDF, with how it
    was delivered and the proof (a signed receipt, a registered-mail number, an electronic
    delivery record)."""

    read_capability = Capability.COLLECT_FEES

    household = models.ForeignKey(
        "properties.Household",
        on_delete=models.PROTECT,
        related_name="formal_demands",
        verbose_name=_("household"),
    )
    payer = models.CharField(_("payer"), max_length=60)
    amount = money(_("amount demanded"))
    statements = models.ManyToManyField(
        "billing.Statement",
        through="DemandedStatement",
        related_name="formal_demands",
        verbose_name=_("statements"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DemandStatus.choices, default=DemandStatus.DRAFTED
    )
    drafted_at = models.DateTimeField(_("drafted at"))
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    pay_by = models.DateField(_("pay by"))
    note = models.TextField(_("note to the household"), blank=True)
    pdf = models.FileField(_("letter (PDF)"), upload_to="dunning/demands/%Y/%m/", blank=True)
    delivery_method = models.CharField(
        _("delivered by"), max_length=10, choices=DeliveryMethod.choices, blank=True
    )
    # The registered-mail number (掛號信), or the electronic record's message id.
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    electronic_channel = models.CharField(_("electronic channel"), max_length=10, blank=True)
    message = models.ForeignKey(
        "messaging.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("message"),
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivery_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivery recorded by"),
    )
    proof = models.FileField(_("proof"), upload_to="dunning/proof/%Y/%m/", blank=True)
    proof_name = models.CharField(_("proof file name"), max_length=120, blank=True)
    proof_content_type = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        verbose_name = _("formal demand")
        verbose_name_plural = _("formal demands")
        ordering = ["-drafted_at", "-id"]
        indexes = [models.Index(fields=["household", "-drafted_at"], name="demand_latest")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The letter's reference, printed on it: the office's code and the row's number."""
        return f"{self.office.code}-CG{self.pk:05d}" if self.pk else ""


class DemandedStatement(models.Model):
    """A statement listed in a formal demand (催告函所列賬單), with what it owed then."""

    demand = models.ForeignKey(FormalDemand, on_delete=models.CASCADE, related_name="listed")
    statement = models.ForeignKey("billing.Statement", on_delete=models.PROTECT, related_name="+")
    owed = money(_("owed"))

    class Meta:
        verbose_name = _("statement demanded")
        verbose_name_plural = _("statements demanded")
        ordering = ["demand_id", "statement__quarter", "id"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "statement"], name="demanded_once")
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} · {self.statement_id}"
