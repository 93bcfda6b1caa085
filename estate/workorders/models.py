"""Service work orders (服務工作單), their timeline, replies to the requester, photos and the
requester's signature, and the materials used on them."""

from __future__ import annotations

from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import Capability
from estate.core.money import to_cents
from estate.core.phones import mask_phone
from estate.core.querysets import OfficeScopedQuerySet
from estate.properties.models import Office, OfficeScoped
from estate.workorders.choices import (
    OPEN_STATUSES,
    Action,
    AttachmentKind,
    ComplaintType,
    EventChannel,
    Kind,
    Priority,
    ReplyChannel,
    Status,
)


def orders_visible(user: Any, capability: Capability | None = None, prefix: str = "") -> Q:
    """Which orders ``user`` may see, as a condition on ``prefix`` + the order's fields.

    By default (``VIEW_ORDERS``): every order of the offices where the user holds
    ``VIEW_ALL_ORDERS``, and elsewhere the orders of their teams and those assigned to them.
    Another capability (``RUN_DESK``, ``DO_WORK`` …) narrows to the offices where it is held,
    by the same two rules. Never an order about the user themself (the staff member a
    complaint is about).
    """
    from estate.accounts.access import scope_for

    scope = scope_for(user)
    allowed = scope.office_ids_with(capability or Capability.VIEW_ORDERS)
    every = allowed & scope.office_ids_with(Capability.VIEW_ALL_ORDERS)
    own = allowed - every
    conditions = [Q(**{f"{prefix}office_id__in": every})] if every else []
    if own:
        conditions.append(
            Q(**{f"{prefix}office_id__in": own})
            & (
                Q(**{f"{prefix}service_unit_id__in": scope.service_unit_ids})
                | Q(**{f"{prefix}assignee_id": getattr(user, "pk", None)})
            )
        )
    if not conditions:
        return Q(pk__in=[])
    return reduce(or_, conditions) & ~Q(**{f"{prefix}about_id": getattr(user, "pk", None)})


class WorkOrderQuerySet(OfficeScopedQuerySet):
    def open(self) -> WorkOrderQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def visible_to(self, user: Any, capability: Capability | None = None) -> WorkOrderQuerySet:
        return self.filter(orders_visible(user, capability))


class WorkOrder(OfficeScoped):
    """A service work order (服務工作單): one complaint, repair, housekeeping or other job, owned until closed."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    service_item = models.ForeignKey(
        "frontdesk.ServiceItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("service item"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    is_emergency = models.BooleanField(_("emergency"), default=False)
    complaint_type = models.CharField(
        _("complaint type"), max_length=20, choices=ComplaintType.choices, blank=True
    )
    is_important = models.BooleanField(
        _("important complaint"),
        default=False,
        help_text=_("The head handles it personally and answers within 2 working days."),
    )

    unit = models.ForeignKey(
        "properties.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("unit"),
    )
    location = models.CharField(
        _("location"), max_length=100, blank=True, help_text=_("A common area, e.g. 3棟電梯.")
    )
    equipment = models.ForeignKey(
        "equipment.Equipment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("equipment"),
        help_text=_("The piece of equipment at fault, from the equipment register."),
    )
    requester = models.ForeignKey(
        "properties.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("requester"),
    )
    requester_name = models.CharField(_("requester name"), max_length=60, blank=True)
    requester_phone = models.CharField(_("requester phone"), max_length=20, blank=True)
    contact = models.ForeignKey(
        "frontdesk.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("contact"),
    )
    description = models.TextField(_("description"))

    accountable = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="accountable_work_orders",
        verbose_name=_("first receiver"),
        help_text=_("Who first took the request; stays accountable across transfers (首問負責)."),
    )
    service_unit = models.ForeignKey(
        "properties.ServiceUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("service unit"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_work_orders",
        verbose_name=_("assignee"),
    )
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member concerned"),
        help_text=_(
            "The staff member a complaint is about; they cannot open the order or its return visit."
        ),
    )

    promised_at = models.DateTimeField(_("promised time"), null=True, blank=True)
    promise_reason = models.CharField(_("reason for the promised time"), max_length=200, blank=True)
    held_from = models.CharField(max_length=20, choices=Status.choices, blank=True, editable=False)
    hold_reason = models.CharField(_("reason for holding"), max_length=200, blank=True)
    resume_on = models.DateField(_("resume on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    work_done = models.TextField(_("work done"), blank=True)
    materials_used = models.TextField(_("materials used"), blank=True)
    fee_charged = models.DecimalField(
        _("fee charged (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    opened_at = models.DateTimeField(_("opened at"))
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = WorkOrderQuerySet.as_manager()  # type: ignore[misc]  # narrower than OfficeScoped

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["office", "status", "-id"], name="wo_office_status"),
            models.Index(fields=["service_unit", "status", "-id"], name="wo_unit_status"),
            models.Index(fields=["assignee", "status", "-id"], name="wo_assignee_status"),
            models.Index(fields=["office", "kind", "-id"], name="wo_office_kind"),
            models.Index(fields=["office", "opened_at"], name="wo_office_opened"),
            models.Index(
                fields=["office", "kind", "completed_at"], name="wo_office_kind_completed"
            ),
            models.Index(fields=["unit", "-id"], name="wo_unit"),
            models.Index(fields=["office", "priority", "-id"], name="wo_office_priority"),
            models.Index(fields=["office", "promised_at"], name="wo_office_promised"),
            models.Index(fields=["accountable", "status", "-id"], name="wo_accountable_status"),
        ]
        constraints = [
            models.CheckConstraint(
                name="workorder_has_a_place",
                condition=Q(unit__isnull=False) | ~Q(location=""),
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def place(self) -> str:
        return " · ".join(
            part for part in (self.unit.address if self.unit else "", self.location) if part
        )

    @property
    def masked_requester_phone(self) -> str:
        return mask_phone(self.requester_phone)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class WorkOrderEvent(models.Model):
    """One line of an order's timeline (處理記錄): who did what, when, through which channel. Never edited."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("by"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=EventChannel.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("work order event")
        verbose_name_plural = _("work order events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["work_order", "at"], name="woevent_order_at")]

    def __str__(self) -> str:
        return f"{self.work_order} · {self.get_action_display()}"


class Reply(models.Model):
    """A message to the requester (回覆): the final answer, or an update while the job goes on."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="replies")
    channel = models.CharField(
        _("how the requester was told"), max_length=10, choices=ReplyChannel.choices
    )
    text = models.TextField(_("what the requester was told"))
    is_final = models.BooleanField(_("final reply"), default=False)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("by")
    )
    replied_at = models.DateTimeField(_("at"))
    articles = models.ManyToManyField(
        "knowledge.Article",
        blank=True,
        related_name="replies",
        verbose_name=_("articles given with it"),
    )

    class Meta:
        verbose_name = _("reply to the requester")
        verbose_name_plural = _("replies to the requester")
        ordering = ["replied_at", "id"]

    def __str__(self) -> str:
        return f"{self.work_order} · {self.replied_at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"workorders/{instance.work_order.office_id}/{instance.work_order_id}/{filename}"


class Attachment(models.Model):
    """A file kept with an order: a photo (before or after the work) or what came with an email,
    or the requester's signature captured on the screen at completion (住戶簽名)."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(
        _("kind"), max_length=10, choices=AttachmentKind.choices, default=AttachmentKind.FILE
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty: it came with an email."),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_picture(self) -> bool:
        return self.content_type.startswith("image/")


class Material(OfficeScoped):
    """A material the office's workers use on jobs (材料), chosen from a list when a job is done."""

    read_capability = Capability.VIEW_ORDERS

    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(
        _("unit of measure"), max_length=10, help_text=_("How it is counted, e.g. 個, 米 or 卷.")
    )
    unit_price = models.DecimalField(
        _("unit price (yuan)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active materials can be chosen on an order.")
    )

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["office_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="material_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class MaterialUse(models.Model):
    """A material used on an order, with its quantity (用料), recorded by who did the work."""

    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="material_uses"
    )
    material = models.ForeignKey(
        Material, on_delete=models.PROTECT, related_name="uses", verbose_name=_("material")
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("material used")
        verbose_name_plural = _("materials used")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="materialuse_quantity_positive", condition=Q(quantity__gt=0)
            )
        ]

    def __str__(self) -> str:
        return f"{self.work_order} · {self.material.name} × {self.quantity}"

    @property
    def amount(self) -> Decimal | None:
        """What the line costs at the material's unit price, when it has one."""
        price = self.material.unit_price
        return None if price is None else to_cents(price * self.quantity)


class DailySequence(models.Model):
    """The last order number given out per office and day; numbers never repeat, even under concurrency."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "day"], name="dailysequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.day} {self.last}"


class Rectification(OfficeScoped):
    """A rectification the head sets a staff member after a complaint about attitude (限期整改), tracked until done."""

    read_capability = Capability.VIEW_ALL_ORDERS

    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.PROTECT, related_name="rectifications"
    )
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("staff member"),
    )
    measures = models.TextField(_("what must change"))
    deadline = models.DateField(_("deadline"))
    penalty = models.CharField(_("penalty"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.CharField(_("how it was done"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["office", "done_at", "deadline"], name="rectification_open")
        ]

    def __str__(self) -> str:
        return f"{self.staff_member} · {self.deadline}"
