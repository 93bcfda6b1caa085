"""Return visits over the API: the same forms and actions as the pages, and the month's figures."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from estate.accounts.roles import Capability
from estate.core.api import day_param, form_data, form_errors, serializer_for_form
from estate.core.permissions import office_for
from estate.core.viewsets import ScopedReadOnlyViewSet
from estate.visits import actions, questionnaires
from estate.visits.choices import VisitKind, VisitStatus
from estate.visits.forms import AnswerForm, VisitForm
from estate.visits.measures import measures
from estate.visits.models import OpinionItem, Questionnaire, ReturnVisit


class OpinionItemSerializer(serializers.ModelSerializer):
    answered_by: serializers.RelatedField = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = OpinionItem
        fields = [
            "id",
            "visit",
            "kind",
            "text",
            "raised_at",
            "answer",
            "answered_by",
            "answered_at",
        ]


class ReturnVisitSerializer(serializers.ModelSerializer):
    work_order: serializers.RelatedField = serializers.SlugRelatedField(
        slug_field="number",
        read_only=True,
        allow_null=True,  # a survey visit has no order
    )
    unit = serializers.CharField(source="household.unit.address", default=None, allow_null=True)
    assigned_to: serializers.RelatedField = serializers.StringRelatedField()
    items = OpinionItemSerializer(many=True, read_only=True)

    class Meta:
        model = ReturnVisit
        fields = [
            "id", "office", "kind", "status", "work_order", "household", "unit", "assigned_to", "due_at",
            "attempts", "channel", "score", "comments", "visited_at", "items",
        ]  # fmt: skip


class ReturnVisitFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=VisitStatus.choices)
    kind = django_filters.ChoiceFilter(choices=VisitKind.choices)
    mine = django_filters.BooleanFilter(method="by_mine")

    class Meta:
        model = ReturnVisit
        fields = ["status", "kind", "mine"]

    def by_mine(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.filter(assigned_to_id=self.request.user.pk) if value else queryset


class ReturnVisitViewSet(ScopedReadOnlyViewSet):
    """Return visits of the caller's offices; ``POST …/{id}/record/`` records a call or a home visit."""

    capability = Capability.RECORD_VISITS

    serializer_class = ReturnVisitSerializer
    ordering = ("due_at", "id")  # the visit due soonest first
    filterset_class = ReturnVisitFilter

    def get_queryset(self) -> QuerySet[ReturnVisit]:
        return (
            self.scoped(ReturnVisit.objects)
            .select_related("work_order", "household__unit", "assigned_to")
            .prefetch_related("items__answered_by")
            .order_by("due_at", "id")
        )

    @extend_schema(
        request=serializer_for_form(VisitForm, "RecordVisit"),
        responses={200: ReturnVisitSerializer},
    )
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        form = VisitForm(form_data(request.data, VisitForm))
        if not form.is_valid():
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        data = form.cleaned_data
        actions.record_visit(
            visit,
            by=request.user,
            channel=data["channel"],
            reached=data["reached"],
            score=data["score"],
            comments=data["comments"],
            items=form.items(),
        )
        return Response(ReturnVisitSerializer(self.get_queryset().get(pk=visit.pk)).data)


class OpinionItemViewSet(ScopedReadOnlyViewSet):
    """Opinions, criticism and suggestions raised in visits; ``?unanswered=true`` lists what waits."""

    capability = Capability.VIEW_ALL_ORDERS
    action_capabilities = {"answer": Capability.RUN_DESK}
    serializer_class = OpinionItemSerializer
    ordering = ("raised_at", "id")  # what has waited longest first

    def get_queryset(self) -> QuerySet[OpinionItem]:
        items = self.scoped(OpinionItem.objects).select_related("answered_by")
        if self.request.query_params.get("unanswered") in ("true", "1"):
            items = items.filter(answered_at__isnull=True)
        return items.order_by("raised_at", "id")

    @extend_schema(
        request=serializer_for_form(AnswerForm, "AnswerItem"),
        responses={200: OpinionItemSerializer},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        form = AnswerForm(form_data(request.data, AnswerForm))
        if not form.is_valid():
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        return Response(
            OpinionItemSerializer(
                actions.answer_item(item, by=request.user, answer=form.cleaned_data["answer"])
            ).data
        )


_RATES = ("satisfaction_rate", "satisfaction_degree", "complaint_visit_rate")
_FIGURES = {
    name: serializers.CharField(allow_null=True) for name in _RATES
} | {
    # Each rate's verdict from the same definition as the dashboard (on the exact counts).
    f"{name}_met": serializers.BooleanField(allow_null=True) for name in _RATES
} | {
    name: serializers.IntegerField()
    for name in (
        "households_visited", "households_target", "answers", "satisfied_answers",
        "complaints_completed", "complaints_visited", "items_raised", "items_unanswered",
    )
} | {
    "households_met": serializers.BooleanField(allow_null=True),  # None while the month runs
}  # fmt: skip
_VERDICTS = {
    "satisfaction_rate_met": "rate_met",
    "satisfaction_degree_met": "degree_met",
    "complaint_visit_rate_met": "complaints_met",
}


@extend_schema(
    parameters=[
        OpenApiParameter("office", int, required=True),
        OpenApiParameter("month", str, required=True, description="YYYY-MM"),
    ],
    responses=inline_serializer("VisitMeasures", {**_FIGURES, "month": serializers.CharField()}),
)
@api_view(["GET"])
def month_measures(request: Request) -> Response:
    """The month's return-visit figures for one office (targets: 20 households, 96 %, 75 %,
    100 %), each rate with its verdict (``*_met``; null when nothing was counted)."""
    office = office_for(request, Capability.VIEW_ALL_ORDERS, required=True)
    month = day_param(request.query_params.get("month"), "month", month=True)
    figures = measures(office, month)
    body: dict[str, Any] = {name: getattr(figures, _VERDICTS.get(name, name)) for name in _FIGURES}
    for name in _RATES:
        body[name] = None if body[name] is None else str(body[name])
    body["month"] = month.strftime("%Y-%m")
    return Response(body)


class QuestionSummarySerializer(serializers.Serializer):
    question = serializers.CharField(source="question.text")
    kind = serializers.CharField(source="question.kind")
    answers = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    satisfied_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    distribution = serializers.DictField(child=serializers.IntegerField())
    texts = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class QuestionnaireSerializer(serializers.ModelSerializer):
    invited = serializers.SerializerMethodField()
    answered = serializers.SerializerMethodField()

    class Meta:
        model = Questionnaire
        fields = ["id", "office", "title", "opens_on", "closes_on", "repeat", "previous",
                  "reported_at", "invited", "answered"]  # fmt: skip

    def get_invited(self, round_: Questionnaire) -> int:
        return getattr(round_, "invited", 0)

    def get_answered(self, round_: Questionnaire) -> int:
        return getattr(round_, "answered", 0)


class QuestionnaireViewSet(ScopedReadOnlyViewSet):
    """Opinion questionnaire rounds of the caller's offices; ``…/{id}/summary/`` is the report for leadership."""

    capability = Capability.VIEW_ALL_ORDERS

    serializer_class = QuestionnaireSerializer
    ordering = ("-opens_on", "-id")  # the latest round first

    def get_queryset(self) -> QuerySet[Questionnaire]:
        return (
            self.scoped(Questionnaire.objects)
            .annotate(
                invited=Count("invitations"),
                answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False)),
            )
            .order_by("-opens_on", "-id")
        )

    @extend_schema(
        responses=inline_serializer(
            "QuestionnaireSummary",
            {
                "invited": serializers.IntegerField(),
                "answered": serializers.IntegerField(),
                "response_rate": serializers.DecimalField(5, 2, allow_null=True),
                "average": serializers.DecimalField(4, 2, allow_null=True),
                "questions": QuestionSummarySerializer(many=True),
            },
        )
    )
    @action(detail=True, methods=["get"])
    def summary(self, request: Request, pk: str | None = None) -> Response:
        found = questionnaires.summarize(self.get_object())
        return Response(
            {
                "invited": found.invited,
                "answered": found.answered,
                "response_rate": None if found.response_rate is None else str(found.response_rate),
                "average": None if found.average is None else str(found.average),
                "questions": QuestionSummarySerializer(found.questions, many=True).data,
            }
        )


def register(router: DefaultRouter) -> None:
    router.register("return-visits", ReturnVisitViewSet, basename="return-visit")
    router.register("opinion-items", OpinionItemViewSet, basename="opinion-item")
    router.register("questionnaires", QuestionnaireViewSet, basename="questionnaire")
