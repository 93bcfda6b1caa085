"""Planned work (計劃工作): plans (保養計劃, 巡檢計劃, 巡更計劃) that say what is done, on what, how
often and by which service unit; the tasks the scheduler opens for each occurrence; and the
answers given to each item of a task's checklist."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import Capability
from estate.equipment.choices import EquipmentKind
from estate.planned.choices import Frequency, ItemKind, Target, TaskStatus
from estate.planned.querysets import PlannedTaskQuerySet
from estate.properties.models import OfficeScoped


class Plan(OfficeScoped):
    """A plan (計劃): what is to be done, on what, how often, by which service unit."""

    read_capability = Capability.VIEW_ORDERS

    name = models.CharField(_("name"), max_length=100)
    service_unit = models.ForeignKey(
        "properties.ServiceUnit",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("service unit"),
    )
    target = models.CharField(_("on"), max_length=20, choices=Target.choices)
    equipment = models.ForeignKey(
        "equipment.Equipment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("equipment"),
    )
    equipment_kind = models.CharField(
        _("kind of equipment"), max_length=30, choices=EquipmentKind.choices, blank=True
    )
    route = models.ForeignKey(
        "patrols.PatrolRoute",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("patrol route"),
    )
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices)
    every = models.PositiveSmallIntegerField(
        _("every"), default=1, help_text=_("Hours for an hourly plan; otherwise 1.")
    )
    times = models.JSONField(
        _("at times"),
        default=list,
        blank=True,
        help_text=_('Local times, like ["08:00", "20:00"].'),
    )
    weekdays = models.JSONField(
        _("on weekdays"), default=list, blank=True, help_text=_("1 (Monday) to 7 (Sunday).")
    )
    day_of_month = models.PositiveSmallIntegerField(_("day of the month"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    working_days_only = models.BooleanField(
        _("working days only"),
        default=False,
        help_text=_("By the official calendar, with its make-up working days (調休)."),
    )
    window_minutes = models.PositiveIntegerField(_("to be done within (minutes)"), default=24 * 60)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The next occurrence to open: the scheduler's indexed due time (None once a plan ends).
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    missed_count = models.PositiveIntegerField(_("occurrences missed"), default=0, editable=False)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["office_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="plan_unique_name"),
            models.CheckConstraint(
                name="plan_target_given",
                condition=(
                    Q(target=Target.EQUIPMENT, equipment__isnull=False)
                    | Q(target=Target.EQUIPMENT_KIND) & ~Q(equipment_kind="")
                    | Q(target=Target.ROUTE, route__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlanItem(models.Model):
    """One item of a plan's checklist (檢查項目): answered OK / not OK with a note, a reading with
    its unit and allowed range, or a photo."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("item"), max_length=200)
    kind = models.CharField(_("answered by"), max_length=10, choices=ItemKind.choices)
    unit = models.CharField(_("unit of the reading"), max_length=20, blank=True)
    low = models.DecimalField(
        _("lowest allowed"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    high = models.DecimalField(
        _("highest allowed"), max_digits=12, decimal_places=3, null=True, blank=True
    )

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="planitem_unique_position")
        ]

    def __str__(self) -> str:
        return self.text


class PlannedTask(OfficeScoped):
    """One occurrence of a plan (計劃任務), opened by the scheduler at its time, exactly once, and
    done within the plan's window."""

    read_capability = Capability.VIEW_ORDERS

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="tasks")
    equipment = models.ForeignKey(
        "equipment.Equipment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_tasks",
        verbose_name=_("equipment"),
    )
    service_unit = models.ForeignKey(
        "properties.ServiceUnit",
        on_delete=models.PROTECT,
        related_name="planned_tasks",
        verbose_name=_("service unit"),
    )
    due_at = models.DateTimeField(_("due at"), db_index=True)
    window_ends_at = models.DateTimeField(_("to be done by"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    objects = PlannedTaskQuerySet.as_manager()  # type: ignore[misc]  # narrower than OfficeScoped

    class Meta:
        verbose_name = _("planned task")
        verbose_name_plural = _("planned tasks")
        ordering = ["due_at", "id"]
        constraints = [
            # One task per occurrence (and per piece, for a plan on a kind of equipment).
            models.UniqueConstraint(
                fields=["plan", "due_at"],
                condition=Q(equipment__isnull=True),
                name="plannedtask_once_per_occurrence",
            ),
            models.UniqueConstraint(
                fields=["plan", "equipment", "due_at"],
                condition=Q(equipment__isnull=False),
                name="plannedtask_once_per_piece",
            ),
        ]
        indexes = [models.Index(fields=["office", "status", "due_at"], name="plannedtask_open")]

    def __str__(self) -> str:
        return f"{self.plan} {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def on_time(self) -> bool:
        return self.done_at is not None and self.done_at <= self.window_ends_at


class TaskAnswer(models.Model):
    """The answer to one item of a planned task: OK or not, a reading, a photo, a note; a not-OK
    answer or a reading out of range opens a repair order, linked here."""

    task = models.ForeignKey(PlannedTask, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(PlanItem, on_delete=models.PROTECT, related_name="answers")
    ok = models.BooleanField(_("OK"), null=True, blank=True)
    reading = models.DecimalField(
        _("reading"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    photo = models.FileField(_("photo"), upload_to="planned/%Y/%m/", blank=True)
    repair_order = models.OneToOneField(
        "workorders.WorkOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_answer",
        verbose_name=_("repair order"),
    )
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["task_id", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["task", "item"], name="taskanswer_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.item}"
