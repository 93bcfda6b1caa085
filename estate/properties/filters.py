"""One FilterSet per list: the same class serves the HTML list and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from estate.properties.actions import residents_by_number
from estate.properties.choices import RequesterKind, ServiceUnitKind, UnitUse
from estate.properties.models import Building, Office, Resident, ServiceUnit, Unit


def _offices(request: Any) -> QuerySet[Office]:
    if request is None:
        return Office.objects.none()
    return Office.objects.visible_to(request.user)


def _buildings(request: Any) -> QuerySet[Building]:
    if request is None:
        return Building.objects.none()
    return Building.objects.visible_to(request.user).order_by("office_id", "sort_key", "id")


def natural_unit_order(queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    """3-902 before 3-1202 and building 2 before 10 (the stored key, ``estate.core.natural``)."""
    return queryset.order_by("office_id", "sort_key", "id")


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    office = django_filters.ModelChoiceFilter(label=_("Office"), queryset=_offices)
    building = django_filters.ModelChoiceFilter(label=_("Building"), queryset=_buildings)
    use = django_filters.ChoiceFilter(label=_("Use"), choices=UnitUse.choices)

    class Meta:
        model = Unit
        fields = ["q", "office", "building", "use"]

    def search(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        """By address (3-1202), resident name or phone digits."""
        value = value.strip()
        if not value:
            return queryset
        by_number = residents_by_number(value, viewer=self.request.user) if self.request else []
        people = Resident.objects.filter(Q(name__icontains=value) | Q(pk__in=by_number))
        return queryset.filter(
            Q(address__istartswith=value) | Q(households__in=people.values("household_id"))
        ).distinct()


class ResidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    office = django_filters.ModelChoiceFilter(label=_("Office"), queryset=_offices)
    building = django_filters.ModelChoiceFilter(
        label=_("Building"), queryset=_buildings, field_name="household__unit__building"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RequesterKind.choices)
    needs_assistance = django_filters.BooleanFilter(
        label=_("Needs assistance"), method="assistance"
    )

    class Meta:
        model = Resident
        fields = ["q", "office", "building", "kind", "needs_assistance"]

    def search(self, queryset: QuerySet[Resident], name: str, value: str) -> QuerySet[Resident]:
        value = value.strip()
        if not value:
            return queryset
        by_number = residents_by_number(value, viewer=self.request.user) if self.request else []
        return queryset.filter(
            Q(name__icontains=value)
            | Q(pk__in=by_number)
            | Q(household__unit__address__istartswith=value)
        )

    def assistance(
        self, queryset: QuerySet[Resident], name: str, value: bool | None
    ) -> QuerySet[Resident]:
        if value is None:
            return queryset
        needs = Q(is_elderly=True) | Q(is_disabled=True)
        return queryset.filter(needs) if value else queryset.exclude(needs)


class BuildingFilter(django_filters.FilterSet):
    office = django_filters.ModelChoiceFilter(label=_("Office"), queryset=_offices)

    class Meta:
        model = Building
        fields = ["office"]


class ServiceUnitFilter(django_filters.FilterSet):
    office = django_filters.ModelChoiceFilter(label=_("Office"), queryset=_offices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ServiceUnitKind.choices)

    class Meta:
        model = ServiceUnit
        fields = ["office", "kind"]
