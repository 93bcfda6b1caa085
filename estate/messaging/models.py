"""Messages to requesters (告知): what the office tells a resident or a campus requester about
their order, bill or building, the office's templates for them, the channels each person
consented to, and each delivery with its result."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estate.messaging.choices import Channel, ConsentSource, DeliveryState, Kind
from estate.properties.models import OfficeScoped


class MessageTemplate(OfficeScoped):
    """The office's words for one kind of message in one language, with named placeholders such
    as ``{number}``; without one, estate's default words for the kind are used."""

    kind = models.CharField(_("message"), max_length=20, choices=Kind.choices)
    language = models.CharField(
        _("language"), max_length=10, choices=[("zh-hant", "繁體中文"), ("zh-hans", "简体中文")]
    )
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["office_id", "kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "language"], name="message_template_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"


class SmsTemplate(OfficeScoped):
    """The SMS provider's registered template for one kind of message (短信模板): the
    signature, the template code and the template's parameters, each one of the kind's
    placeholders, in the provider's order."""

    kind = models.CharField(_("message"), max_length=20, choices=Kind.choices)
    sign_name = models.CharField(_("signature"), max_length=40)
    template_code = models.CharField(_("template code"), max_length=40)
    parameters = models.JSONField(
        _("parameters"),
        default=list,
        help_text=_("The template's parameters in order, each a placeholder of the message."),
    )
    checked_at = models.DateTimeField(_("checked with the provider at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS template")
        verbose_name_plural = _("SMS templates")
        ordering = ["office_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["office", "kind"], name="sms_template_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.template_code}"


class WeChatAccount(OfficeScoped):
    """The office's WeChat service account (服務號): its app id and secret, the token that
    signs its callbacks, and the template id for each kind of message."""

    app_id = models.CharField(_("app id"), max_length=40, unique=True)
    app_secret = models.CharField(_("app secret"), max_length=80)
    token = models.CharField(
        _("callback token"),
        max_length=60,
        help_text=_("The token set in the account's server settings."),
    )
    template_ids = models.JSONField(
        _("template ids"), default=dict, blank=True, help_text=_("Message kind → template id.")
    )
    access_token = models.CharField(max_length=600, blank=True, editable=False)
    access_token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("WeChat service account")
        verbose_name_plural = _("WeChat service accounts")
        constraints = [models.UniqueConstraint(fields=["office"], name="wechat_account_per_office")]

    def __str__(self) -> str:
        return self.app_id


class WeChatBinding(OfficeScoped):
    """A resident's WeChat account, bound to their portal login by OAuth (openid)."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="bindings")
    resident = models.ForeignKey(
        "properties.Resident", on_delete=models.CASCADE, related_name="wechat_bindings"
    )
    openid = models.CharField(_("openid"), max_length=64)
    bound_at = models.DateTimeField(_("bound at"))

    class Meta:
        verbose_name = _("WeChat binding")
        verbose_name_plural = _("WeChat bindings")
        constraints = [
            models.UniqueConstraint(fields=["account", "openid"], name="wechat_openid_once"),
            models.UniqueConstraint(fields=["account", "resident"], name="wechat_resident_once"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} · {self.openid[-6:]}"


class Consent(OfficeScoped):
    """A person's consent to one channel, given or withdrawn, with when and how (PIPL). The
    latest row for a person and channel is what holds."""

    resident = models.ForeignKey(
        "properties.Resident", on_delete=models.CASCADE, related_name="consents"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    granted = models.BooleanField(_("granted"))
    at = models.DateTimeField(_("at"), db_index=True)
    source = models.CharField(_("source"), max_length=10, choices=ConsentSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["resident_id", "channel", "-at", "-id"]
        indexes = [models.Index(fields=["resident", "channel", "-at"], name="consent_latest")]

    def __str__(self) -> str:
        return f"{self.resident} · {self.channel} · {self.granted}"


QUIET_FROM = time(22, 0)
QUIET_UNTIL = time(7, 0)


class Preferences(OfficeScoped):
    """How a person likes to be told: the language and the quiet hours."""

    resident = models.OneToOneField(
        "properties.Resident", on_delete=models.CASCADE, related_name="message_preferences"
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=[("zh-hant", "繁體中文"), ("zh-hans", "简体中文")],
        blank=True,
        help_text=_("Empty: the office's language."),
    )
    quiet_from = models.TimeField(_("quiet from"), default=QUIET_FROM)
    quiet_until = models.TimeField(_("quiet until"), default=QUIET_UNTIL)

    class Meta:
        verbose_name = _("message preferences")
        verbose_name_plural = _("message preferences")

    def __str__(self) -> str:
        return str(self.resident)


class Message(OfficeScoped):
    """One message to one person (告知), in their portal inbox whatever the channels; ``key``
    names the event it tells of, so a person is told of an event once."""

    kind = models.CharField(_("message"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=120, editable=False)
    resident = models.ForeignKey(
        "properties.Resident",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("to"),
    )
    name = models.CharField(_("name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    recipient_key = models.CharField(max_length=60, editable=False)
    work_order = models.ForeignKey(
        "workorders.WorkOrder",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("work order"),
    )
    language = models.CharField(_("language"), max_length=10)
    text = models.TextField(_("text"))
    values = models.JSONField(default=dict, editable=False)
    link = models.CharField(_("link"), max_length=200, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    created_at = models.DateTimeField(_("created at"), db_index=True)
    # When the person should be told (the end of their quiet hours, for one held), and when the
    # first channel reached them (written to the inbox, for a person with no other channel).
    due_at = models.DateTimeField(_("due at"), null=True, db_index=True)
    reached_at = models.DateTimeField(_("reached at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message to a requester")
        verbose_name_plural = _("messages to requesters")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient_key"], name="message_once")
        ]
        indexes = [models.Index(fields=["resident", "read_at"], name="message_unread")]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def words(self) -> str:
        """The text without its link: on a page the link is a link of its own."""
        return " ".join(self.text.replace(self.link, "").split()) if self.link else self.text


class Delivery(models.Model):
    """A message sent by one channel (送達): at most one per message and channel, with every
    try's result, the provider's id (for its receipts) and, when it failed, why."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=120)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    next_try_at = models.DateTimeField(_("next try at"), null=True, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    provider_id = models.CharField(
        _("provider message id"), max_length=100, blank=True, db_index=True
    )
    error = models.CharField(_("reason"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    settled_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("followed up by"),
    )
    settled_note = models.CharField(_("what was done"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("delivery to a requester")
        verbose_name_plural = _("deliveries to requesters")
        constraints = [
            models.UniqueConstraint(fields=["message", "channel"], name="message_delivery_once")
        ]
        indexes = [
            models.Index(
                fields=["state", "settled_at"],
                condition=Q(state=DeliveryState.FAILED, settled_at__isnull=True),
                name="delivery_unreached",
            )
        ]

    def __str__(self) -> str:
        return f"{self.message_id} {self.channel} {self.state}"

    @property
    def idempotency_key(self) -> str:
        """The same for every try, so the provider sends it once."""
        return f"estate-message-{self.pk}"


class SmsSend(models.Model):
    """One text handed to an SMS provider, by its key (短信發送記錄): the provider's id once it
    accepted it. Neither mainland provider drops a repeated request, so the adapters keep this
    ledger to send a key at most once; a row without an id is a try whose outcome is unknown."""

    key = models.CharField(max_length=120, unique=True)
    provider = models.CharField(_("provider"), max_length=20)
    provider_id = models.CharField(_("provider message id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("text handed to the provider")
        verbose_name_plural = _("texts handed to the provider")

    def __str__(self) -> str:
        return f"{self.provider} {self.key}"


class Received(models.Model):
    """A message that came in from outside, by its channel's own id (a WeChat MsgId, an
    email's Message-ID): kept so that a channel's retries are taken once."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    key = models.CharField(max_length=200)
    at = models.DateTimeField(_("received at"), db_index=True)

    class Meta:
        verbose_name = _("message received")
        verbose_name_plural = _("messages received")
        constraints = [models.UniqueConstraint(fields=["channel", "key"], name="received_once")]

    def __str__(self) -> str:
        return f"{self.channel} {self.key}"
