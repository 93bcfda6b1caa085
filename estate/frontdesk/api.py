"""Front desk over the REST API: contacts, the service catalogue, the referral directory, telephone calls."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.api import WhenField, day_param, form_data, serializer_for_form
from estate.core.permissions import office_for
from estate.core.viewsets import ScopedReadOnlyViewSet
from estate.frontdesk import actions, intake
from estate.frontdesk.forms import ContactForm, ReferralForm
from estate.frontdesk.measures import three_ring_rate
from estate.frontdesk.models import Contact, ServiceItem
from estate.properties.models import Department, Office
from estate.workorders.choices import EventChannel
from estate.workorders.forms import OrderRoutingForm


def _contact_parts(request: Request) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The contact, and its nested ``order`` and ``referral``, as form data; a 400 naming every
    field of the wrong shape in any part."""
    parts: list[dict[str, Any]] = []
    problems: dict[str, Any] = {}
    for form_class, part in (
        (ContactForm, None),
        (OrderRoutingForm, "order"),
        (ReferralForm, "referral"),
    ):
        try:
            parts.append(form_data(request.data, form_class, part=part))
        except serializers.ValidationError as refused:
            problems.update(refused.detail)  # type: ignore[arg-type]
    if problems:
        raise serializers.ValidationError(problems)
    contact, order, referral = parts
    return contact, order, referral


class ContactSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.address", default=None, allow_null=True)
    caller_phone = serializers.CharField(source="masked_phone")
    taken_by: serializers.RelatedField = serializers.StringRelatedField(allow_null=True)
    work_orders: serializers.RelatedField = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="number"
    )

    class Meta:
        model = Contact
        fields = [
            "id", "office", "channel", "received_at", "taken_by", "requester", "unit", "caller_name",
            "caller_phone", "kind", "service_item", "intent", "notes", "outcome", "agitated", "work_orders", "follows_up",
        ]  # fmt: skip


ContactRequest = type(
    "ContactRequest",
    (serializer_for_form(ContactForm, "ContactFields"),),
    {
        "office": serializers.IntegerField(required=False),
        "order": serializer_for_form(OrderRoutingForm, "ContactOrder")(required=False),
        "referral": serializer_for_form(ReferralForm, "ContactReferral")(required=False),
    },
)


class ContactViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Contacts (calls, visits, letters, online messages) of the caller's offices."""

    capability = Capability.VIEW_ALL_ORDERS

    serializer_class = ContactSerializer
    ordering = ("-received_at", "-id")  # the latest call first

    def get_queryset(self) -> QuerySet[Contact]:
        return (
            self.scoped(Contact.objects)
            .select_related("unit", "requester", "taken_by")
            .prefetch_related("work_orders")
        )

    @extend_schema(request=ContactRequest, responses={201: ContactSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given, order, referral = _contact_parts(request)
        office = office_for(request, Capability.RUN_DESK, required=True)
        result = intake.take(office, request.user, given, order, referral, channel=EventChannel.API)
        if result.contact is None:
            return Response(result.errors(), status=status.HTTP_400_BAD_REQUEST)
        contact = self.get_queryset().get(pk=result.contact.pk)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ServiceItemSerializer(serializers.ModelSerializer):
    service_unit: serializers.RelatedField = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = ServiceItem
        fields = [
            "id", "office", "name", "kind", "service_unit", "procedure_steps", "document_list",
            "material_list", "fee_kind", "prices", "default_priority",
        ]  # fmt: skip


class ServiceItemViewSet(ScopedReadOnlyViewSet):
    capability = Capability.VIEW_REGISTRY
    serializer_class = ServiceItemSerializer

    def get_queryset(self) -> QuerySet[ServiceItem]:
        return (
            self.scoped(ServiceItem.objects).filter(is_active=True).select_related("service_unit")
        )


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "office", "name", "scope", "phone", "location", "is_external"]


class DepartmentViewSet(ScopedReadOnlyViewSet):
    """The directory of departments matters can be referred to (首問責任制)."""

    capability = Capability.VIEW_REGISTRY

    serializer_class = DepartmentSerializer

    def get_queryset(self) -> QuerySet[Department]:
        return self.scoped(Department.objects)


class CallSerializer(serializers.Serializer):
    office = serializers.CharField(help_text="The office code, e.g. BSW.")
    call_id = serializers.CharField(max_length=64)
    rang_at = WhenField()
    ring_seconds = serializers.IntegerField(
        min_value=0, max_value=3600, allow_null=True, required=False
    )
    answered = serializers.BooleanField(default=True)
    caller_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    extension = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


@extend_schema(request=CallSerializer, responses={201: CallSerializer, 200: CallSerializer})
@api_view(["POST"])
def report_call(request: Request) -> Response:
    """For the telephone system: how many seconds a call rang before it was answered (三聲內接聽)."""
    serializer = CallSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    office = get_object_or_404(Office, code=data.pop("office"))
    if not scope_for(request.user).can(Capability.RUN_DESK, office.pk):
        raise PermissionDenied
    _record, created = actions.record_call(
        office=office, ring_seconds=data.pop("ring_seconds", None), **data
    )
    return Response(
        serializer.data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
    )


@extend_schema(
    parameters=[
        OpenApiParameter("office", int, required=True),
        OpenApiParameter("date", str, required=True, description="YYYY-MM-DD"),
    ],
    responses=inline_serializer(
        "RingRate",
        {
            "calls": serializers.IntegerField(),
            "within_three_rings": serializers.IntegerField(),
            "percent": serializers.FloatField(allow_null=True),
            "met": serializers.BooleanField(allow_null=True),
        },
    ),
)
@api_view(["GET"])
def ring_rate(request: Request) -> Response:
    """Share of calls answered within three rings (15 s) on one day in one office."""
    office = office_for(request, Capability.RUN_DESK, required=True)
    day = day_param(request.query_params.get("date"), "date")
    start = datetime.combine(day, time.min, tzinfo=ZoneInfo(office.timezone))
    rate = three_ring_rate(office.pk, start, start + timedelta(days=1))
    return Response(
        {
            "calls": rate.whole,
            "within_three_rings": rate.part,
            "percent": None if rate.value is None else float(rate.value),
            "met": rate.met,
        }
    )


def register(router: DefaultRouter) -> None:
    router.register("contacts", ContactViewSet, basename="contact")
    router.register("service-items", ServiceItemViewSet, basename="service-item")
    router.register("departments", DepartmentViewSet, basename="department")
