"""The portal over the API, for residents' apps: their own requests and bills, nobody else's
(another household's id is 404, as on the pages)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import permissions, serializers, viewsets
from rest_framework.routers import DefaultRouter

from estate.billing.models import Statement
from estate.portal.bills import my_statements
from estate.portal.orders import PUBLIC_STEPS, my_orders
from estate.properties.models import Resident
from estate.workorders.models import WorkOrder


class IsResident(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(
            request.user.is_authenticated
            and Resident.objects.filter(user_id=request.user.pk).exists()
        )


class MyOrderSerializer(serializers.ModelSerializer):
    steps = serializers.SerializerMethodField()
    replies = serializers.SerializerMethodField()

    class Meta:
        model = WorkOrder
        fields = ["id", "number", "kind", "status", "description", "opened_at", "promised_at",
                  "promise_reason", "steps", "replies"]  # fmt: skip

    def get_steps(self, order: WorkOrder) -> list[dict[str, Any]]:
        return [
            {"action": e.action, "at": e.at} for e in order.events.all() if e.action in PUBLIC_STEPS
        ]

    def get_replies(self, order: WorkOrder) -> list[dict[str, Any]]:
        return [{"text": r.text, "at": r.replied_at} for r in order.replies.all()]


class MyStatementSerializer(serializers.ModelSerializer):
    owed = serializers.DecimalField(source="balance", max_digits=14, decimal_places=2)

    class Meta:
        model = Statement
        fields = ["id", "number", "quarter", "total", "paid", "owed", "due_on"]


class MyOrders(viewsets.ReadOnlyModelViewSet):
    serializer_class = MyOrderSerializer
    permission_classes = [IsResident]
    pagination_class = None

    def get_queryset(self) -> QuerySet[WorkOrder]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema's dry run
            return WorkOrder.objects.none()
        return my_orders(self.request).prefetch_related("events", "replies").order_by("-opened_at")


class MyStatements(viewsets.ReadOnlyModelViewSet):
    serializer_class = MyStatementSerializer
    permission_classes = [IsResident]
    pagination_class = None

    def get_queryset(self) -> QuerySet[Statement]:
        if getattr(self, "swagger_fake_view", False):
            return Statement.objects.none()
        return my_statements(self.request).order_by("-quarter")


def register(router: DefaultRouter) -> None:
    router.register("portal/orders", MyOrders, basename="portal-order")
    router.register("portal/statements", MyStatements, basename="portal-statement")
