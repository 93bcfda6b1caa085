"""Clocks over the API: on each work order, and as a list filtered by state and rule."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.routers import DefaultRouter

from estate.accounts.roles import Capability
from estate.core.periods import check_year
from estate.core.viewsets import ScopedReadOnlyViewSet
from estate.timerules.choices import ClockState, Rule
from estate.timerules.models import Clock


class ClockSerializer(serializers.ModelSerializer):
    work_order: serializers.RelatedField = serializers.SlugRelatedField(
        slug_field="number", read_only=True
    )

    class Meta:
        model = Clock
        fields = [
            "id", "work_order", "rule", "state", "target_kind", "amount", "started_at", "due_at", "warn_at",
            "met_at", "warned_at", "breached_at", "escalation_level",
        ]  # fmt: skip


class ClockFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=ClockState.choices)
    rule = django_filters.ChoiceFilter(choices=Rule.choices)
    due_before = django_filters.IsoDateTimeFilter(
        field_name="due_at", lookup_expr="lte", validators=[check_year]
    )

    class Meta:
        model = Clock
        fields = ["state", "rule", "due_before"]


class ClockViewSet(ScopedReadOnlyViewSet):
    """Time-rule clocks of the caller's offices: which rules apply to which order, and how each stands."""

    capability = Capability.VIEW_ORDERS

    serializer_class = ClockSerializer
    filterset_class = ClockFilter
    ordering = ("due_at", "id")  # the deadline nearest first

    def get_queryset(self) -> QuerySet[Clock]:
        return self.scoped(Clock.objects).select_related("work_order")


def register(router: DefaultRouter) -> None:
    router.register("clocks", ClockViewSet, basename="clock")
