"""The front desk: every contact logged, the service catalogue, telephone call records and referrals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import Capability
from estate.core.phones import mask_phone
from estate.frontdesk.choices import THREE_RINGS_SECONDS, Channel, FeeKind, Outcome
from estate.properties.models import OfficeScoped
from estate.workorders.choices import Kind, Priority


class ServiceItem(OfficeScoped):
    """A service the office offers (服務項目), with its standard procedure (服務細化方案) and one-time notification (一次性告知)."""

    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    service_unit = models.ForeignKey(
        "properties.ServiceUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_items",
        verbose_name=_("responsible service unit"),
    )
    procedure = models.TextField(_("standard procedure"), help_text=_("One step per line."))
    documents = models.TextField(
        _("documents the requester brings"), blank=True, help_text=_("One per line.")
    )
    materials = models.TextField(_("materials"), blank=True, help_text=_("One per line."))
    fee_kind = models.CharField(
        _("fee"), max_length=10, choices=FeeKind.choices, default=FeeKind.FREE
    )
    price_list = models.TextField(_("price list"), blank=True, help_text=_("One price per line."))
    default_priority = models.CharField(
        _("default priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    is_active = models.BooleanField(_("active"), default=True)
    articles = models.ManyToManyField(
        "knowledge.Article",
        blank=True,
        related_name="service_items",
        verbose_name=_("articles handed out with it"),
        help_text=_("Public knowledge-base articles printed after the handout."),
    )

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["office_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="serviceitem_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def procedure_steps(self) -> list[str]:
        return self._lines(self.procedure)

    @property
    def document_list(self) -> list[str]:
        return self._lines(self.documents)

    @property
    def material_list(self) -> list[str]:
        return self._lines(self.materials)

    @property
    def prices(self) -> list[str]:
        return self._lines(self.price_list)


class Contact(OfficeScoped):
    """One call, visit, letter or online message (來電來訪記錄), logged whatever its outcome."""

    read_capability = Capability.VIEW_ALL_ORDERS

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty: it arrived by itself (a text, WeChat message or email)."),
        related_name="contacts_taken",
        verbose_name=_("taken by"),
    )
    requester = models.ForeignKey(
        "properties.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("requester"),
    )
    unit = models.ForeignKey(
        "properties.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("unit"),
    )
    caller_name = models.CharField(_("name given"), max_length=60, blank=True)
    caller_phone = models.CharField(_("phone given"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    service_item = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("service item")
    )
    intent = models.TextField(_("what the requester wants"))
    notes = models.TextField(_("notes"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    agitated = models.BooleanField(
        _("visitor agitated"),
        default=False,
        help_text=_("Take them to the meeting room; the head is alerted."),
    )
    follows_up = models.ForeignKey(
        "workorders.WorkOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="further_contacts",
        verbose_name=_("added to order"),
        help_text=_("The open order this call was about: added to it instead of a new order."),
    )
    call = models.OneToOneField(
        "frontdesk.CallRecord",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact",
        verbose_name=_("telephone call"),
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["office", "-received_at"], name="contact_office_received")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def who(self) -> str:
        return self.requester.name if self.requester else self.caller_name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.caller_phone or (self.requester.phone if self.requester else ""))


class CallRecord(OfficeScoped):
    """A call as reported by the telephone system: how long it rang before someone answered (三聲內接聽)."""

    read_capability = Capability.VIEW_ALL_ORDERS

    call_id = models.CharField(_("call id"), max_length=64)
    caller_phone = models.CharField(_("caller phone"), max_length=20, blank=True)
    rang_at = models.DateTimeField(_("rang at"), db_index=True)
    ring_seconds = models.PositiveIntegerField(_("seconds to answer"), null=True, blank=True)
    answered = models.BooleanField(_("answered"), default=True)
    extension = models.CharField(_("extension"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("telephone call")
        verbose_name_plural = _("telephone calls")
        ordering = ["-rang_at"]
        constraints = [
            models.UniqueConstraint(fields=["office", "call_id"], name="callrecord_unique_id")
        ]
        indexes = [
            models.Index(
                fields=["office", "rang_at"],
                include=["answered", "ring_seconds", "id"],
                name="call_office_rang",
            )
        ]

    def __str__(self) -> str:
        return self.call_id

    @property
    def within_three_rings(self) -> bool:
        return (
            self.answered
            and self.ring_seconds is not None
            and self.ring_seconds <= THREE_RINGS_SECONDS
        )


class Referral(OfficeScoped):
    """A matter referred to the department that handles it (首問責任制), confirmed by the receiving side."""

    read_capability = Capability.VIEW_ALL_ORDERS

    department = models.ForeignKey(
        "properties.Department",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("referred to"),
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    work_order = models.ForeignKey(
        "workorders.WorkOrder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    matter = models.TextField(_("matter"))
    told_requester = models.TextField(
        _("what the requester was told"), help_text=_("Where to go, whom to ask.")
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_made",
        verbose_name=_("referred by"),
    )
    referred_at = models.DateTimeField(_("referred at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.CharField(_("confirmed by (receiving side)"), max_length=60, blank=True)
    confirmation_note = models.CharField(_("confirmation note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_at"]

    def __str__(self) -> str:
        return f"→ {self.department}"


class CartItem(OfficeScoped):
    """Something residents may borrow from the convenience service cart (便民服務車): an umbrella,
    a wheelchair, a trolley, a toolbox."""

    name = models.CharField(_("name"), max_length=60)
    quantity = models.PositiveSmallIntegerField(_("how many the office has"), default=1)
    deposit = models.DecimalField(_("deposit (yuan)"), max_digits=8, decimal_places=2, default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("cart item")
        verbose_name_plural = _("cart items")
        ordering = ["office_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="cartitem_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Loan(OfficeScoped):
    """One item lent from the cart, to whom, until when, and when it came back."""

    read_capability = Capability.RUN_DESK

    item = models.ForeignKey(CartItem, on_delete=models.PROTECT, related_name="loans")
    borrower = models.ForeignKey(
        "properties.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loans",
        verbose_name=_("borrower"),
    )
    borrower_name = models.CharField(_("borrower"), max_length=60)
    unit = models.ForeignKey(
        "properties.Unit", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("unit")
    )
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lent_at = models.DateTimeField(_("lent at"))
    due_back = models.DateField(_("due back"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-lent_at", "-id"]
        indexes = [models.Index(fields=["item", "returned_at"], name="loan_item_open")]

    def __str__(self) -> str:
        return f"{self.item} · {self.borrower_name}"


class DutyShift(OfficeScoped):
    """Who staffs the front desk or service window (服務窗口) from when to when on a day (R-B1)."""

    day = models.DateField(_("day"), db_index=True)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="duty_shifts",
        verbose_name=_("staff member"),
    )

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["day", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="shift_ends_after_start", condition=models.Q(ends_at__gt=models.F("starts_at"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.starts_at:%H:%M}-{self.ends_at:%H:%M} {self.staff_member}"
