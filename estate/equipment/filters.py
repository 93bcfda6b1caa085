"""The register's FilterSet: kind, building, legal inspection due or overdue, search by number
or name."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from estate.equipment.choices import EquipmentKind
from estate.equipment.models import DUE_SOON_DAYS, Equipment
from estate.properties.filters import _buildings, _offices

INSPECTION_CHOICES = (
    ("due", _("Legal inspection due within 30 days")),
    ("overdue", _("Legal inspection overdue")),
)


class EquipmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    office = django_filters.ModelChoiceFilter(label=_("Office"), queryset=_offices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EquipmentKind.choices)
    building = django_filters.ModelChoiceFilter(label=_("Building"), queryset=_buildings)
    inspection = django_filters.ChoiceFilter(
        label=_("Legal inspection"), choices=INSPECTION_CHOICES, method="by_inspection"
    )

    class Meta:
        model = Equipment
        fields = ["q", "office", "kind", "building", "inspection"]

    def search(self, queryset: QuerySet[Equipment], name: str, value: str) -> QuerySet[Equipment]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def by_inspection(self, queryset: QuerySet[Equipment], name: str, value: Any) -> Any:
        """Due: falls within DUE_SOON_DAYS from today, overdue ones included (both need doing)."""
        today = timezone.localdate()
        queryset = queryset.filter(is_active=True, next_inspection_on__isnull=False)
        if value == "overdue":
            return queryset.filter(next_inspection_on__lt=today)
        if value == "due":
            return queryset.filter(next_inspection_on__lte=today + timedelta(days=DUE_SOON_DAYS))
        return queryset
