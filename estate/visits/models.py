"""Return visits (回訪), what residents said in them, the monthly survey plan, common issues and
opinion questionnaires to departments and service units."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import Capability
from estate.core.querysets import OfficeScopedQuerySet
from estate.properties.models import OfficeScoped
from estate.visits.choices import (
    ItemKind,
    QuestionKind,
    Repeat,
    Satisfaction,
    VisitChannel,
    VisitKind,
    VisitStatus,
)


class SurveyPlan(OfficeScoped):
    """One office's household survey for one month (每月不少於 20 戶)."""

    read_capability = Capability.VIEW_ALL_ORDERS

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("planned by")
    )
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey plan")
        verbose_name_plural = _("survey plans")
        constraints = [
            models.UniqueConstraint(fields=["office", "month"], name="surveyplan_one_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class ReturnVisitQuerySet(OfficeScopedQuerySet):
    def visible_to(self, user: Any, capability: Capability | None = None) -> ReturnVisitQuerySet:
        """Where the user holds ``capability`` (``RECORD_VISITS`` by default): every visit of an
        office whose orders they all see, elsewhere the visits given to them; never the visit
        of a complaint about them."""
        from estate.accounts.access import scope_for

        scope = scope_for(user)
        allowed = scope.office_ids_with(capability or Capability.RECORD_VISITS)
        every = allowed & scope.office_ids_with(Capability.VIEW_ALL_ORDERS)
        pk = getattr(user, "pk", None)
        return self.filter(
            Q(office_id__in=every) | Q(office_id__in=allowed - every, assigned_to_id=pk)
        ).exclude(work_order__about_id=pk)


class ReturnVisit(OfficeScoped):
    """A return visit to do or done: after a job, after a complaint, or in the monthly survey."""

    read_capability = Capability.RECORD_VISITS

    kind = models.CharField(_("kind"), max_length=20, choices=VisitKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.OPEN
    )
    work_order = models.ForeignKey(
        "workorders.WorkOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="return_visits",
    )
    household = models.ForeignKey(
        "properties.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="return_visits",
    )
    plan = models.ForeignKey(
        SurveyPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="visits"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="return_visits",
        verbose_name=_("assigned to"),
    )
    due_at = models.DateTimeField(_("due at"), db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    channel = models.CharField(
        _("channel"), max_length=10, choices=VisitChannel.choices, blank=True
    )
    score = models.PositiveSmallIntegerField(
        _("satisfaction"), choices=Satisfaction.choices, null=True, blank=True
    )
    comments = models.TextField(_("comments"), blank=True)
    visited_at = models.DateTimeField(_("visited at"), null=True, blank=True, db_index=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("visited by"),
    )

    objects = ReturnVisitQuerySet.as_manager()  # type: ignore[misc]  # narrower than OfficeScoped

    class Meta:
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["office", "status", "due_at"], name="visit_office_status"),
            models.Index(
                fields=["office", "visited_at"],
                include=["status", "score", "household", "id"],
                name="visit_office_visited",
            ),
            models.Index(fields=["assigned_to", "status", "due_at"], name="visit_assignee_status"),
        ]
        constraints = [
            models.CheckConstraint(
                name="visit_score_on_scale",
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
            ),
            models.UniqueConstraint(
                fields=["work_order", "kind"],
                condition=Q(work_order__isnull=False),
                name="visit_once_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.work_order or self.household}"


class OpinionItem(OfficeScoped):
    """One opinion, criticism or suggestion raised in a visit; each gets an answer (逐條整理、研究、答復)."""

    read_capability = Capability.VIEW_ALL_ORDERS

    visit = models.ForeignKey(ReturnVisit, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    text = models.TextField(_("what was said"))
    raised_at = models.DateTimeField(_("raised at"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("opinion item")
        verbose_name_plural = _("opinion items")
        ordering = ["raised_at", "id"]
        indexes = [
            models.Index(fields=["office", "answered_at", "raised_at"], name="item_office_answered")
        ]

    def __str__(self) -> str:
        return self.text[:40]


class CommonIssue(OfficeScoped):
    """A matter several households raised (共性問題), answered by a written notice within a week once it is common."""

    read_capability = Capability.VIEW_ALL_ORDERS

    title = models.CharField(_("title"), max_length=100)
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)
    households = models.PositiveIntegerField(_("households"), default=0)
    notice_due_at = models.DateTimeField(_("notice due at"), null=True, blank=True, db_index=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    notice = models.ForeignKey(
        "notices.Notice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("answered by notice"),
    )

    class Meta:
        verbose_name = _("common issue")
        verbose_name_plural = _("common issues")
        ordering = ["-households", "-id"]

    def __str__(self) -> str:
        return self.title


class CommonIssueMember(models.Model):
    """One complaint or opinion in a common issue; ``pinned`` when staff placed it (regrouping leaves it)."""

    issue = models.ForeignKey(CommonIssue, on_delete=models.CASCADE, related_name="members")
    work_order = models.OneToOneField(
        "workorders.WorkOrder",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="common_issue_member",
    )
    item = models.OneToOneField(
        OpinionItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="common_issue_member",
    )
    household = models.ForeignKey(
        "properties.Household", on_delete=models.SET_NULL, null=True, blank=True
    )
    text = models.TextField()
    raised_at = models.DateTimeField()
    pinned = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("common issue member")
        verbose_name_plural = _("common issue members")
        ordering = ["raised_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="member_is_an_order_or_an_item",
                condition=Q(work_order__isnull=False, item__isnull=True)
                | Q(work_order__isnull=True, item__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]


class Questionnaire(OfficeScoped):
    """One round of an opinion questionnaire (意見徵詢表) to departments and service units (R-C3)."""

    read_capability = Capability.VIEW_ALL_ORDERS

    title = models.CharField(_("title"), max_length=100)
    intro = models.TextField(_("introduction"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    repeat = models.PositiveSmallIntegerField(
        _("repeat"), choices=Repeat.choices, default=Repeat.ONCE
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_round",
        verbose_name=_("previous round"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    reported_at = models.DateTimeField(_("reported to leadership at"), null=True, blank=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="questionnaire_closes_after_opening",
                condition=Q(closes_on__gte=models.F("opens_on")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.opens_on:%Y-%m-%d})"


class Question(models.Model):
    """One question of a questionnaire: a score on the five-level scale or a written answer."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="question_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.text


class Invitation(OfficeScoped):
    """A questionnaire sent to one department or service unit, answered once through its own link."""

    read_capability = Capability.VIEW_ALL_ORDERS

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="invitations"
    )
    department = models.ForeignKey(
        "properties.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("department"),
    )
    service_unit = models.ForeignKey(
        "properties.ServiceUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("service unit"),
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    respondent = models.CharField(_("answered by"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        help_text=_("The staff member who typed in an answer given on paper or by phone."),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["questionnaire_id", "id"]
        constraints = [
            models.CheckConstraint(
                name="invitation_to_a_department_or_a_unit",
                condition=Q(department__isnull=False, service_unit__isnull=True)
                | Q(department__isnull=True, service_unit__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "department"],
                condition=Q(department__isnull=False),
                name="invitation_once_per_department",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "service_unit"],
                condition=Q(service_unit__isnull=False),
                name="invitation_once_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return str(self.department or self.service_unit)

    @property
    def addressee(self) -> Any:
        return self.department or self.service_unit


class QuestionnaireAnswer(models.Model):
    """One invitee's answer to one question."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(
        _("score"), choices=Satisfaction.choices, null=True, blank=True
    )
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("questionnaire answer")
        verbose_name_plural = _("questionnaire answers")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "question"], name="answer_once_per_question"
            ),
            models.CheckConstraint(
                name="answer_score_on_scale",
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
            ),
        ]

    def __str__(self) -> str:
        return str(self.score) if self.score is not None else self.text[:40]
