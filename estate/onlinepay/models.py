"""Online payment: merchant accounts per office, payments started from the portal, the
providers' notifications (each taken once) and the daily reconciliation with their bills."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import Capability
from estate.billing.models import Payment, Statement, money
from estate.onlinepay.choices import Channel, DifferenceKind, Outcome, Provider, RunStatus, Status
from estate.properties.models import OfficeScoped

WECHAT_GATEWAY = "https://api.mch.weixin.qq.com"
ALIPAY_GATEWAY = "https://openapi.alipay.com/gateway.do"


class MerchantAccount(OfficeScoped):
    """An office's merchant account (商戶號) with WeChat Pay or Alipay. Keys are files named here,
    never kept in the database (docs/decisions/0016-online-payment.md)."""

    read_capability = Capability.MANAGE_OFFICE

    provider = models.CharField(_("provider"), max_length=10, choices=Provider.choices)
    enabled = models.BooleanField(_("enabled"), default=False)
    app_id = models.CharField(_("app id"), max_length=40)
    mch_id = models.CharField(_("merchant number"), max_length=40, blank=True)
    serial_no = models.CharField(_("certificate serial number"), max_length=64, blank=True)
    base_url = models.URLField(_("gateway"), blank=True)
    private_key_file = models.CharField(_("merchant private key (PEM file)"), max_length=300)
    provider_key_file = models.CharField(_("provider public key (PEM file)"), max_length=300)
    provider_key_id = models.CharField(_("provider public key id"), max_length=64, blank=True)
    api_v3_key_file = models.CharField(_("APIv3 key (file)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("merchant account")
        verbose_name_plural = _("merchant accounts")
        constraints = [
            models.UniqueConstraint(fields=["office", "provider"], name="merchant_once_per_office")
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.mch_id or self.app_id}"

    @property
    def gateway(self) -> str:
        default = WECHAT_GATEWAY if self.provider == Provider.WECHAT else ALIPAY_GATEWAY
        return (self.base_url or default).rstrip("/")


class OnlinePayment(OfficeScoped):
    """A payment of a statement started online (線上支付): an order with the provider, waiting,
    then paid (a billing ``Payment``), expired or closed."""

    read_capability = Capability.COLLECT_FEES

    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="online_payments"
    )
    merchant = models.ForeignKey(MerchantAccount, on_delete=models.PROTECT)
    provider = models.CharField(_("provider"), max_length=10, choices=Provider.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    out_trade_no = models.CharField(_("order number"), max_length=32, unique=True)
    amount = money(_("amount"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.STARTED
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"))
    expires_at = models.DateTimeField(_("expires at"))
    # What the payer needs: the QR code's content, the redirect, or WeChat's prepay id.
    code_url = models.CharField(max_length=500, blank=True)
    pay_url = models.TextField(blank=True)
    prepay_id = models.CharField(max_length=64, blank=True)
    transaction_id = models.CharField(
        _("provider's transaction id"), max_length=64, null=True, blank=True, unique=True
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    notified_digest = models.CharField(max_length=64, blank=True)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="online"
    )
    failure = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        ordering = ["-started_at", "-id"]
        constraints = [
            # One open order per statement: two tabs never take the money twice.
            models.UniqueConstraint(
                fields=["statement"],
                condition=Q(status=Status.STARTED),
                name="online_payment_one_open",
            ),
            models.CheckConstraint(name="online_payment_positive", condition=Q(amount__gt=0)),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="online_payment_due")]

    def __str__(self) -> str:
        return self.out_trade_no


class NotificationReceived(OfficeScoped):
    """A provider's notification (支付通知) as taken: its id is unique, so a replay changes
    nothing; refused ones are kept with the reason."""

    read_capability = Capability.COLLECT_FEES

    provider = models.CharField(_("provider"), max_length=10, choices=Provider.choices)
    notification_id = models.CharField(max_length=80)
    online_payment = models.ForeignKey(
        OnlinePayment, null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    out_trade_no = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    digest = models.CharField(max_length=64)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("payment notification")
        verbose_name_plural = _("payment notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "notification_id"], name="notification_taken_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.notification_id}"


class ReconciliationRun(OfficeScoped):
    """One day's reconciliation (對賬) with a provider's bill file; run again, it starts afresh."""

    read_capability = Capability.COLLECT_FEES

    merchant = models.ForeignKey(MerchantAccount, on_delete=models.PROTECT)
    bill_date = models.DateField(_("bill date"))
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices)
    ran_at = models.DateTimeField(_("ran at"))
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bill_rows = models.PositiveIntegerField(_("rows in the bill"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
        ordering = ["-bill_date", "merchant_id"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "bill_date"], name="reconcile_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.merchant} {self.bill_date}"


class ReconciliationDifference(OfficeScoped):
    """A difference (差異) between our payments and the provider's bill, for the cashier."""

    read_capability = Capability.COLLECT_FEES

    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="differences")
    kind = models.CharField(_("kind"), max_length=15, choices=DifferenceKind.choices)
    out_trade_no = models.CharField(_("order number"), max_length=64)
    transaction_id = models.CharField(_("provider's transaction id"), max_length=64, blank=True)
    amount_here = money(_("amount here"), null=True, blank=True)
    amount_there = money(_("amount in the bill"), null=True, blank=True)
    online_payment = models.ForeignKey(
        OnlinePayment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("reconciliation difference")
        verbose_name_plural = _("reconciliation differences")
        ordering = ["run_id", "kind", "out_trade_no"]

    def __str__(self) -> str:
        return f"{self.kind} {self.out_trade_no}"
