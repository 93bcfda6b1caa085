"""Time rules as data: per-office policies, the work calendar's corrections, and a clock per rule per order."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estate.properties.models import OfficeScoped
from estate.timerules.choices import ClockState, Rule, Start, TargetKind


class ClockPolicy(OfficeScoped):
    """How one office applies one time rule (時限規定): target, warning, which orders, pausing."""

    rule = models.CharField(_("rule"), max_length=30, choices=Rule.choices)
    target_kind = models.CharField(_("target in"), max_length=20, choices=TargetKind.choices)
    amount = models.PositiveIntegerField(
        _("target"), help_text=_("Minutes, hours or working days.")
    )
    warn_before_minutes = models.PositiveIntegerField(_("warn this many minutes before"), default=0)
    kinds = models.CharField(
        _("applies to kinds"),
        max_length=100,
        blank=True,
        help_text=_("Comma-separated; empty for every kind."),
    )
    starts_on = models.CharField(
        _("starts"), max_length=20, choices=Start.choices, default=Start.OPEN
    )
    pauses_on_hold = models.BooleanField(_("paused while the order is on hold"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("time-rule policy")
        verbose_name_plural = _("time-rule policies")
        ordering = ["office_id", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["office", "rule"], name="clockpolicy_one_per_rule"),
            models.CheckConstraint(name="clockpolicy_positive_target", condition=Q(amount__gte=1)),
        ]

    def __str__(self) -> str:
        return self.get_rule_display()

    def clean(self) -> None:
        if not self.amount or self.amount < 1:
            raise ValidationError({"amount": _("The target must be at least 1.")})

    def applies_to(self, kind: str) -> bool:
        wanted = {k.strip() for k in self.kinds.split(",") if k.strip()}
        return not wanted or kind in wanted


class CalendarYear(OfficeScoped):
    """An office's calendar for one year: confirmed by an administrator when the official one is not out yet."""

    year = models.PositiveSmallIntegerField(_("year"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["office_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="calendaryear_unique")
        ]

    def __str__(self) -> str:
        return str(self.year)


class CalendarOverride(models.Model):
    """A day the office closes although the official calendar works, or works although it rests."""

    calendar_year = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="overrides"
    )
    day = models.DateField(_("day"))
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Ticked: an extra workday; not ticked: closed.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["calendar_year", "day"], name="calendaroverride_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day}"

    def clean(self) -> None:
        if self.day and self.calendar_year_id and self.day.year != self.calendar_year.year:
            raise ValidationError(
                {"day": _("The day must be in %(year)d.") % {"year": self.calendar_year.year}}
            )


# How a clock ended, for figures: kept when met by its due time; missed when it breached (or was
# met late by a path that did not mark the breach). Running, paused and stopped clocks are neither.
KEPT = Q(state=ClockState.MET, met_at__lte=models.F("due_at"))
MISSED = Q(state=ClockState.BREACHED) | Q(state=ClockState.MET, met_at__gt=models.F("due_at"))


class ClockQuerySet(models.QuerySet):
    def visible_to(self, user: object, capability: Any = None) -> ClockQuerySet:
        """The clocks of the orders ``user`` may see."""
        from estate.workorders.models import orders_visible

        return self.filter(orders_visible(user, capability, prefix="work_order__"))


class Clock(models.Model):
    """One time rule running on one order (時限): due time, warning, and how it ended. A breach stays a breach."""

    work_order = models.ForeignKey(
        "workorders.WorkOrder", on_delete=models.CASCADE, related_name="clocks"
    )
    # The order's office, copied so a period's figures read one index instead of joining orders.
    office = models.ForeignKey(
        "properties.Office", on_delete=models.CASCADE, related_name="+", editable=False
    )
    policy = models.ForeignKey(ClockPolicy, on_delete=models.SET_NULL, null=True, blank=True)
    rule = models.CharField(_("rule"), max_length=30, choices=Rule.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("person"),
        help_text=_("For rules that run per person, such as each emergency responder's 5 minutes."),
    )
    # Copied from the policy when the clock starts: editing a policy never moves running clocks.
    target_kind = models.CharField(max_length=20, choices=TargetKind.choices)
    amount = models.PositiveIntegerField()
    pauses_on_hold = models.BooleanField(default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=ClockState.choices, default=ClockState.RUNNING
    )
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    warn_at = models.DateTimeField(_("warn at"), null=True, blank=True)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    missed_reason = models.CharField(_("why it was missed"), max_length=300, blank=True)
    missed_reason_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reason given by"),
    )

    objects = ClockQuerySet.as_manager()

    class Meta:
        verbose_name = _("clock")
        verbose_name_plural = _("clocks")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="clock_state_due"),
            models.Index(fields=["state", "warn_at"], name="clock_state_warn"),
            models.Index(fields=["state", "breached_at"], name="clock_state_breached"),
            models.Index(fields=["work_order", "rule"], name="clock_order_rule"),
            # Covering (PostgreSQL): a period's figures read the index alone (decision 0007).
            models.Index(
                fields=["office", "started_at"],
                include=["rule", "state", "met_at", "due_at", "id"],
                name="clock_office_started",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_order_id} · {self.get_rule_display()}"

    @property
    def concerns(self) -> Any:
        """Whom the clock is about: its person (each emergency responder has a clock of their
        own), else whoever has the order (the assignee, the service unit), else None."""
        order = self.work_order
        return self.person or order.assignee or order.service_unit
