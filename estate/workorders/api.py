"""Work orders over the REST API: the same forms, policy and actions as the order pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from estate.accounts.roles import Capability
from estate.core.api import form_data, form_errors, serializer_for_form
from estate.core.permissions import office_for
from estate.core.viewsets import ScopedReadOnlyViewSet
from estate.timerules.api import ClockSerializer
from estate.workorders import actions, policy
from estate.workorders.choices import EventChannel
from estate.workorders.filters import WorkOrderFilter
from estate.workorders.forms import ACTION_FORMS, NewOrderForm
from estate.workorders.models import MaterialUse, WorkOrder, WorkOrderEvent
from estate.workorders.operations import perform


class EventSerializer(serializers.ModelSerializer):
    actor: serializers.RelatedField = serializers.StringRelatedField(allow_null=True)  # system

    class Meta:
        model = WorkOrderEvent
        fields = ["action", "at", "actor", "channel", "from_status", "to_status", "note", "data"]


class MaterialUseSerializer(serializers.ModelSerializer):
    """A material used on the order, read-only: lines are recorded on the order page."""

    name = serializers.CharField(source="material.name", read_only=True)
    unit = serializers.CharField(source="material.unit", read_only=True)
    recorded_by: serializers.RelatedField = serializers.StringRelatedField()

    class Meta:
        model = MaterialUse
        fields = ["id", "material", "name", "unit", "quantity", "recorded_by", "recorded_at"]
        read_only_fields = fields


class WorkOrderSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.address", default=None, allow_null=True)
    requester_phone = serializers.CharField(source="masked_requester_phone")
    service_unit: serializers.RelatedField = serializers.StringRelatedField(allow_null=True)
    assignee: serializers.RelatedField = serializers.StringRelatedField(allow_null=True)
    accountable: serializers.RelatedField = serializers.StringRelatedField()

    class Meta:
        model = WorkOrder
        fields = [
            "id", "number", "office", "status", "kind", "priority", "is_emergency", "unit", "location",
            "requester_name", "requester_phone", "description", "service_item", "service_unit", "assignee",
            "accountable", "promised_at", "promise_reason", "hold_reason", "resume_on", "work_done",
            "materials_used", "fee_charged", "opened_at", "dispatched_at", "accepted_at", "completed_at",
            "replied_at", "closed_at",
        ]  # fmt: skip


class WorkOrderDetailSerializer(WorkOrderSerializer):
    events = EventSerializer(many=True, read_only=True)
    clocks = ClockSerializer(many=True, read_only=True)
    material_uses = MaterialUseSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(WorkOrderSerializer.Meta):
        fields = [
            *WorkOrderSerializer.Meta.fields,
            "events",
            "clocks",
            "material_uses",
            "allowed_actions",
        ]

    def get_allowed_actions(self, order: WorkOrder) -> list[str]:
        return policy.allowed_actions(self.context["request"].user, order)


DETAIL_PREFETCH = (
    "events__actor",
    "clocks",
    "material_uses__material",
    "material_uses__recorded_by",
)
NewOrderRequest = serializer_for_form(NewOrderForm, "NewWorkOrder")


class WorkOrderViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Work orders in the caller's offices. Each action is ``POST /work-orders/{id}/{action}/``;
    one not allowed from the current status answers 409 and changes nothing."""

    capability = Capability.VIEW_ORDERS

    filterset_class = WorkOrderFilter

    def get_queryset(self) -> QuerySet[WorkOrder]:
        queryset = self.scoped(WorkOrder.objects).select_related(
            "unit", "service_unit", "assignee", "accountable"
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(*DETAIL_PREFETCH)
        return queryset

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return WorkOrderDetailSerializer if self.action != "list" else WorkOrderSerializer

    @extend_schema(request=NewOrderRequest, responses={201: WorkOrderSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = form_data(request.data, NewOrderForm)
        office = office_for(request, Capability.RUN_DESK, required=True)
        form = NewOrderForm(data, office=office)
        if not form.is_valid():
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        order = actions.open_work_order(
            office=office,
            by=request.user,
            channel=EventChannel.API,
            **form.new_order(),
        )
        return Response(WorkOrderSerializer(order).data, status=201)

    def _run(self, request: Request, name: str) -> Response:
        order = self.get_object()
        if not policy.may(request.user, name, order):
            raise PermissionDenied
        form_class = ACTION_FORMS[name]
        form = form_class(form_data(request.data, form_class), request.FILES, office=order.office)
        if not form.is_valid():
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        perform(name, order, form.cleaned_data, by=request.user, channel=EventChannel.API)
        order = self.get_queryset().prefetch_related(*DETAIL_PREFETCH).get(pk=order.pk)
        return Response(WorkOrderDetailSerializer(order, context={"request": request}).data)


def _action_endpoint(name: str) -> Any:
    def endpoint(self: WorkOrderViewSet, request: Request, pk: str | None = None) -> Response:
        return self._run(request, name)

    # DRF maps the route to the method by the function's name, so name it before decorating.
    endpoint.__name__ = f"do_{name}"
    routed = action(detail=True, methods=["post"], url_path=name.replace("_", "-"), url_name=name)(
        endpoint
    )
    return extend_schema(
        request=serializer_for_form(ACTION_FORMS[name], f"{name.title().replace('_', '')}Request"),
        responses={200: WorkOrderDetailSerializer},
        summary=f"{name.replace('_', ' ').capitalize()} the work order",
    )(routed)


for _name in ACTION_FORMS:
    setattr(WorkOrderViewSet, f"do_{_name}", _action_endpoint(_name))


def register(router: DefaultRouter) -> None:
    router.register("work-orders", WorkOrderViewSet, basename="work-order")
