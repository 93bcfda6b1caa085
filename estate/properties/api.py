"""REST API of the property registry, read through the same ``visible_to`` and FilterSets as the UI."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.api import LocalTimeField
from estate.core.viewsets import ScopedReadOnlyViewSet
from estate.properties import actions
from estate.properties.filters import BuildingFilter, ResidentFilter, ServiceUnitFilter, UnitFilter
from estate.properties.models import Building, Household, Office, Resident, ServiceUnit, Unit


class OfficeSerializer(serializers.ModelSerializer):
    opens_at = LocalTimeField()
    closes_at = LocalTimeField()

    class Meta:
        model = Office
        fields = [
            "id",
            "name",
            "code",
            "kind",
            "timezone",
            "opens_at",
            "closes_at",
            "calendar",
            "phone",
        ]


class BuildingSerializer(serializers.ModelSerializer):
    site: serializers.Field = serializers.StringRelatedField()

    class Meta:
        model = Building
        fields = ["id", "office", "site", "code", "name", "floors"]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "office", "building", "number", "address", "floor", "area", "use"]


class ResidentSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(source="masked_phone", help_text="Masked; see the phone action.")
    unit = serializers.CharField(source="household.unit.address", default=None, allow_null=True)

    class Meta:
        model = Resident
        fields = [
            "id",
            "office",
            "household",
            "unit",
            "department",
            "kind",
            "name",
            "phone",
            "preferred_contact",
            "is_primary",
            "is_elderly",
            "is_disabled",
        ]


class HouseholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = Household
        fields = ["id", "office", "unit", "kind", "move_in", "move_out"]


class ServiceUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceUnit
        fields = ["id", "office", "name", "kind", "scope", "phone", "location", "lead", "is_active"]


class RegistryViewSet(ScopedReadOnlyViewSet):
    """Read-only registry rows of the caller's offices; other offices' ids answer 404."""

    ordering: str | tuple[str, ...] = "id"  # the registry in the order it was entered
    base_queryset: QuerySet[Any]

    def get_queryset(self) -> QuerySet[Any]:
        return self.scoped(self.base_queryset)


class OfficeViewSet(RegistryViewSet):
    serializer_class = OfficeSerializer
    base_queryset = Office.objects.all()


class BuildingViewSet(RegistryViewSet):
    serializer_class = BuildingSerializer
    filterset_class = BuildingFilter
    base_queryset = Building.objects.select_related("site")
    # Natural order (2 before 10, 3-902 before 3-1202), offices mixed; ?office= for one.
    ordering = ("sort_key", "id")


class UnitViewSet(RegistryViewSet):
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    base_queryset = Unit.objects.all()
    # Natural order (2 before 10, 3-902 before 3-1202), offices mixed; ?office= for one.
    ordering = ("sort_key", "id")


class HouseholdViewSet(RegistryViewSet):
    serializer_class = HouseholdSerializer
    base_queryset = Household.objects.all()


class ResidentViewSet(RegistryViewSet):
    serializer_class = ResidentSerializer
    filterset_class = ResidentFilter
    base_queryset = Resident.objects.select_related("household__unit")

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "FullPhone", {"phone": serializers.CharField(), "phone_alt": serializers.CharField()}
        ),
    )
    @action(detail=True, methods=["post"])
    def phone(self, request: Request, pk: str | None = None) -> Response:
        """The full phone numbers; each call is recorded (who, whose, when)."""
        resident = self.get_object()
        if not scope_for(request.user).can(Capability.REVEAL_PHONE, resident.office_id):
            raise PermissionDenied
        actions.record_phone_reveal(resident=resident, viewer=request.user, channel="api")
        return Response({"phone": resident.phone, "phone_alt": resident.phone_alt})


class ServiceUnitViewSet(RegistryViewSet):
    serializer_class = ServiceUnitSerializer
    filterset_class = ServiceUnitFilter
    base_queryset = ServiceUnit.objects.all()


def register(router: DefaultRouter) -> None:
    router.register("offices", OfficeViewSet, basename="office")
    router.register("buildings", BuildingViewSet, basename="building")
    router.register("units", UnitViewSet, basename="unit")
    router.register("households", HouseholdViewSet, basename="household")
    router.register("residents", ResidentViewSet, basename="resident")
    router.register("service-units", ServiceUnitViewSet, basename="service-unit")
