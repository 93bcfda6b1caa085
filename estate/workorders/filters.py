"""The work-order queue filters, shared by the queue pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from estate.accounts.access import scope_for
from estate.accounts.models import User
from estate.accounts.roles import Capability
from estate.core.search import text_filter
from estate.properties.models import Building, ServiceUnit
from estate.workorders.choices import OPEN_STATUSES, Kind, Priority, Status
from estate.workorders.models import WorkOrder

STATUS_CHOICES = [("open", _("All open")), *Status.choices]


def _visible(model: Any) -> Any:
    def queryset(request: Any) -> QuerySet:
        if request is None:
            return model.objects.none()
        return model.objects.visible_to(request.user)

    return queryset


def _people(request: Any) -> QuerySet:
    if request is None:
        return User.objects.none()
    from estate.accounts.access import scope_for

    return (
        User.objects.filter(staff_roles__office__in=scope_for(request.user).office_ids)
        .distinct()
        .order_by("display_name")
    )


class WorkOrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="by_status"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices)
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=Priority.choices)
    service_unit = django_filters.ModelChoiceFilter(
        label=_("Service unit"), queryset=_visible(ServiceUnit)
    )
    assignee = django_filters.ModelChoiceFilter(label=_("Person"), queryset=_people)
    building = django_filters.ModelChoiceFilter(
        label=_("Building"), queryset=_visible(Building), field_name="unit__building"
    )
    overdue = django_filters.BooleanFilter(label=_("Past the promised time"), method="by_overdue")
    mine = django_filters.BooleanFilter(label=_("Mine"), method="by_mine")
    opened_after = django_filters.DateFilter(
        label=_("Opened from"), field_name="opened_at", lookup_expr="date__gte"
    )
    opened_before = django_filters.DateFilter(
        label=_("Opened until"), field_name="opened_at", lookup_expr="date__lte"
    )

    class Meta:
        model = WorkOrder
        fields = [
            "q",
            "status",
            "kind",
            "priority",
            "service_unit",
            "assignee",
            "building",
            "overdue",
            "mine",
        ]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            text_filter(
                value,
                [
                    "number",
                    "description",
                    "requester_name",
                    "location",
                    "unit__address",
                    "work_done",
                ],
            )
        )

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value) if value else queryset

    def by_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        late = Q(promised_at__lt=timezone.now(), status__in=OPEN_STATUSES)
        return queryset.filter(late) if value else queryset.exclude(late)

    def by_mine(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value or self.request is None:
            return queryset
        user = self.request.user
        scope = scope_for(user)
        led = scope.led_unit_ids if scope.office_ids_with(Capability.LEAD_TEAM) else frozenset()
        # A lead's are also their units' orders (the field view's "my jobs").
        return queryset.filter(Q(assignee=user) | Q(accountable=user) | Q(service_unit_id__in=led))
