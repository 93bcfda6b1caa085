"""Emergencies (突發事件): who was called, who was on scene when, and the incident report afterwards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from estate.properties.models import OfficeScoped


class Category(models.TextChoices):
    FIRE = "fire", _("Fire")
    INJURY = "injury", _("Injury or illness")
    FLOODING = "flooding", _("Flooding or burst pipe")
    LIFT = "lift", _("Lift entrapment")
    GAS = "gas", _("Gas leak")
    POWER = "power", _("Power failure")
    SECURITY = "security", _("Security incident")
    OTHER = "other", _("Other emergency")


class Emergency(OfficeScoped):
    """An emergency: its work order carries the number, place, timeline and reply."""

    work_order = models.OneToOneField(
        "workorders.WorkOrder", on_delete=models.PROTECT, related_name="emergency"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    service_units = models.ManyToManyField(
        "properties.ServiceUnit", verbose_name=_("service units called")
    )

    class Meta:
        verbose_name = _("emergency")
        verbose_name_plural = _("emergencies")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.work_order.number}"


class CallPlan(OfficeScoped):
    """Which service units an office calls for a kind of emergency; the desk's form starts with
    them ticked. Without a plan, ``estate.emergencies.calls.DEFAULT_KINDS`` says."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    service_units = models.ManyToManyField(
        "properties.ServiceUnit", verbose_name=_("service units to call"), blank=True
    )

    class Meta:
        verbose_name = _("emergency call plan")
        verbose_name_plural = _("emergency call plans")
        ordering = ["office_id", "category"]
        constraints = [models.UniqueConstraint(fields=["office", "category"], name="callplan_once")]

    def __str__(self) -> str:
        return f"{self.office} · {self.get_category_display()}"


class Responder(models.Model):
    """Someone called to an emergency: when they were called and when they reached the scene."""

    emergency = models.ForeignKey(Emergency, on_delete=models.CASCADE, related_name="responders")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("person")
    )
    role = models.CharField(_("called as"), max_length=60)
    called_at = models.DateTimeField(_("called at"))
    on_scene_at = models.DateTimeField(_("on scene at"), null=True, blank=True)

    class Meta:
        verbose_name = _("responder")
        verbose_name_plural = _("responders")
        ordering = ["called_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["emergency", "person"], name="responder_once")
        ]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def minutes_to_scene(self) -> float | None:
        if self.on_scene_at is None:
            return None
        return round((self.on_scene_at - self.called_at).total_seconds() / 60, 1)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Sent back")
    APPROVED = "approved", _("Approved and archived")


class IncidentReport(OfficeScoped):
    """The incident report (突發事件處理表), approved by company leadership and then archived read-only."""

    emergency = models.OneToOneField(Emergency, on_delete=models.PROTECT, related_name="report")
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    occurred_at = models.DateTimeField(_("time of the incident"))
    place = models.CharField(_("place"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    people_involved = models.TextField(_("people involved"), blank=True)
    injuries_and_losses = models.TextField(_("injuries and losses"), blank=True)
    actions_taken = models.TextField(_("actions taken"))
    causes = models.TextField(_("causes found by investigation"))
    lessons = models.TextField(_("lessons and preventive measures"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    archived_pdf = models.FileField(_("archived PDF"), upload_to="incident-reports/", blank=True)

    class Meta:
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")

    def __str__(self) -> str:
        return f"{self.emergency}"

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
