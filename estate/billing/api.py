"""Fees over the API: the same runs, payments, reversals, readings and figures as the cashier's
pages. ``POST /statements/{id}/payments/`` takes an ``Idempotency-Key`` header: the same key and
body give the first result again; the same key with another body is 409."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from estate.accounts.roles import Capability
from estate.billing import payments, runs, statements
from estate.billing.collection import ageing, arrears, collection
from estate.billing.models import BillRun, MeterReading, Payment, Remark, Reversal, Statement
from estate.billing.readings import ImportRefused, import_readings
from estate.core.api import day_param
from estate.core.periods import Quarter
from estate.core.permissions import office_for, require_capability
from estate.core.tables import TableFileError, read_table
from estate.core.viewsets import ScopedReadOnlyViewSet
from estate.properties.models import Building, Office


def _idempotency_key(request: Request) -> str | None:
    """The ``Idempotency-Key`` header, if given; a 400 when its column cannot hold it."""
    key = request.headers.get("Idempotency-Key") or None
    if key is not None:
        try:
            MaxLengthValidator(Payment._meta.get_field("idempotency_key").max_length)(key)
            ProhibitNullCharactersValidator()(key)
        except DjangoValidationError as refused:
            raise serializers.ValidationError({"Idempotency-Key": refused.messages}) from None
    return key


def _quarter(text: str, field: str = "quarter") -> Quarter:
    try:
        return Quarter.parse(text or "")
    except ValueError:
        raise serializers.ValidationError({field: [_("Write the quarter like 2026Q4.")]}) from None


class LineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    description = serializers.CharField()
    basis = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class ReversalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reversal
        fields = [
            "id",
            "payment",
            "kind",
            "amount",
            "reason",
            "status",
            "requested_at",
            "decided_at",
        ]


class PaymentSerializer(serializers.ModelSerializer):
    reversals = ReversalSerializer(many=True, read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "statement", "amount", "method", "reference", "is_prepayment",
                  "receipt_number", "received_at", "reversals"]  # fmt: skip


class StatementSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.address")
    building = serializers.CharField(source="building.code")
    owed = serializers.DecimalField(source="balance", max_digits=14, decimal_places=2)
    lines = LineSerializer(many=True, read_only=True)

    class Meta:
        model = Statement
        fields = ["id", "office", "quarter", "number", "unit", "building", "payer_kind", "payer",
                  "total", "paid", "owed", "due_on", "issued_at", "delivered_at", "lines"]  # fmt: skip


# Amounts given are at most 99,999,999.99 yuan: the columns they add to hold 14 digits.
AMOUNT_DIGITS = 10


class PaymentRequest(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=2)
    method = serializers.CharField(max_length=20)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    as_prepayment = serializers.BooleanField(required=False, default=False)
    remark = serializers.CharField(required=False, allow_blank=True, default="")


class AdjustmentRequest(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=2)
    reason = serializers.CharField()


class ReversalRequest(serializers.Serializer):
    kind = serializers.CharField()
    amount = serializers.DecimalField(
        max_digits=AMOUNT_DIGITS,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="For a refund; a void is of the whole payment.",
    )
    reason = serializers.CharField()


class RemarkAnswer(serializers.Serializer):
    answer = serializers.CharField()


class StatementViewSet(ScopedReadOnlyViewSet):
    """Statements of the caller's offices; ``?quarter=2026Q4&building=3&owed=true`` to narrow."""

    capability = Capability.COLLECT_FEES

    serializer_class = StatementSerializer
    ordering = "number"  # by building and unit, as they are delivered

    def get_queryset(self) -> QuerySet[Statement]:
        found = (
            self.scoped(Statement.objects)
            .select_related("unit", "building")
            .prefetch_related("lines")
        )
        params = self.request.query_params
        if params.get("quarter"):
            found = found.filter(quarter=params["quarter"])
        if params.get("building"):
            found = found.filter(building__code=params["building"])
        if params.get("owed") in ("true", "1"):
            found = found.filter(paid__lt=F("total"))
        return found

    @extend_schema(
        request=PaymentRequest,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
        responses={201: PaymentSerializer, 200: PaymentSerializer},
    )
    @action(detail=True, methods=["post"])
    def payments(self, request: Request, pk: str | None = None) -> Response:
        statement = self.get_object()
        require_capability(request.user, Capability.COLLECT_FEES, statement.office_id)
        given = PaymentRequest(data=request.data)
        given.is_valid(raise_exception=True)
        key = _idempotency_key(request)
        digest = payments.request_digest({"statement": statement.pk, **given.validated_data})
        before = Payment.objects.filter(office_id=statement.office_id, idempotency_key=key).exists()
        try:
            payment = payments.receive_payment(
                statement, by=request.user, idempotency_key=key, digest=digest,
                **given.validated_data,
            )  # fmt: skip
        except payments.IdempotencyConflict:
            return Response(
                {"detail": _("This Idempotency-Key was used for a different request.")},
                status=status.HTTP_409_CONFLICT,
            )
        code = status.HTTP_200_OK if key and before else status.HTTP_201_CREATED
        return Response(PaymentSerializer(payment).data, status=code)

    @extend_schema(request=AdjustmentRequest, responses=StatementSerializer)
    @action(detail=True, methods=["post"])
    def adjustments(self, request: Request, pk: str | None = None) -> Response:
        statement = self.get_object()
        require_capability(request.user, Capability.COLLECT_FEES, statement.office_id)
        given = AdjustmentRequest(data=request.data)
        given.is_valid(raise_exception=True)
        statements.adjust(statement, by=request.user, **given.validated_data)
        return Response(StatementSerializer(self.get_queryset().get(pk=statement.pk)).data)


class PaymentViewSet(ScopedReadOnlyViewSet):
    capability = Capability.COLLECT_FEES
    serializer_class = PaymentSerializer

    def get_queryset(self) -> QuerySet[Payment]:
        return self.scoped(Payment.objects).prefetch_related("reversals")

    @extend_schema(request=ReversalRequest, responses={201: ReversalSerializer})
    @action(detail=True, methods=["post"])
    def reversals(self, request: Request, pk: str | None = None) -> Response:
        payment = self.get_object()
        require_capability(request.user, Capability.COLLECT_FEES, payment.office_id)
        given = ReversalRequest(data=request.data)
        given.is_valid(raise_exception=True)
        made = payments.request_reversal(payment, by=request.user, **given.validated_data)
        return Response(ReversalSerializer(made).data, status=status.HTTP_201_CREATED)


class ReversalViewSet(ScopedReadOnlyViewSet):
    capability = Capability.COLLECT_FEES
    serializer_class = ReversalSerializer

    def get_queryset(self) -> QuerySet[Reversal]:
        return self.scoped(Reversal.objects).select_related("payment")

    def _decide(self, request: Request, approve: bool) -> Response:
        reversal = self.get_object()
        require_capability(request.user, Capability.APPROVE_REFUNDS, reversal.office_id)
        return Response(
            ReversalSerializer(
                payments.decide_reversal(reversal, approve=approve, by=request.user)
            ).data
        )

    @extend_schema(request=None, responses=ReversalSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, True)

    @extend_schema(request=None, responses=ReversalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, False)


class BillRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = BillRun
        fields = ["id", "office", "quarter", "building", "status", "started_at", "finished_at",
                  "statements_issued"]  # fmt: skip


class RunRequest(serializers.Serializer):
    office = serializers.IntegerField()
    quarter = serializers.CharField()
    building = serializers.CharField(required=False, allow_blank=True, default="")
    due_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Pay by; default: the office's bill_due_days after today. Not before today.",
    )


class BillRunViewSet(ScopedReadOnlyViewSet):
    """Bill runs; ``POST …/preview/`` shows what a run would issue, ``POST …/issue/`` issues it."""

    capability = Capability.COLLECT_FEES

    serializer_class = BillRunSerializer

    def get_queryset(self) -> QuerySet[BillRun]:
        return self.scoped(BillRun.objects)

    def _scope(self, request: Request) -> tuple[Office, Quarter, Building | None, date | None]:
        given = RunRequest(data=request.data)
        given.is_valid(raise_exception=True)
        office = office_for(request, Capability.COLLECT_FEES, required=True)
        building = None
        if given.validated_data["building"]:
            building = Building.objects.filter(
                office=office, code=given.validated_data["building"]
            ).first()
            if building is None:
                raise serializers.ValidationError({"building": [_("No such building.")]})
        quarter = _quarter(given.validated_data["quarter"])
        return office, quarter, building, given.validated_data["due_on"]

    @extend_schema(
        request=RunRequest,
        responses=inline_serializer(
            "BillRunPreview",
            {
                "statements": serializers.IntegerField(),
                "total": serializers.DecimalField(14, 2),
                "vacant_units": serializers.IntegerField(),
                "already_issued": serializers.IntegerField(),
                "due_on": serializers.DateField(),
                "by_item": serializers.DictField(child=serializers.DecimalField(14, 2)),
            },
        ),
    )
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        office, quarter, building, due_on = self._scope(request)
        plan = runs.plan(office, quarter, building, due_on=due_on)
        return Response(
            {
                "statements": len(plan.statements),
                "total": str(plan.total),
                "vacant_units": plan.vacant_units,
                "already_issued": plan.already_issued,
                "due_on": plan.due_on.isoformat() if plan.due_on else None,
                "by_item": {item: str(amount) for item, amount in plan.totals_by_item()},
            }
        )

    @extend_schema(request=RunRequest, responses={201: BillRunSerializer})
    @action(detail=False, methods=["post"])
    def issue(self, request: Request) -> Response:
        office, quarter, building, due_on = self._scope(request)
        run = runs.issue(office, quarter, by=request.user, building=building, due_on=due_on)
        return Response(BillRunSerializer(run).data, status=status.HTTP_201_CREATED)


class ReadingSerializer(serializers.ModelSerializer):
    meter = serializers.CharField(source="meter.name")

    class Meta:
        model = MeterReading
        fields = ["id", "meter", "quarter", "previous", "current", "shared_usage", "read_on"]


class ReadingViewSet(ScopedReadOnlyViewSet):
    """Meter readings; ``POST …/import/`` takes a CSV or XLSX file (field ``file``) and ``office``."""

    capability = Capability.COLLECT_FEES

    serializer_class = ReadingSerializer

    def get_queryset(self) -> QuerySet[MeterReading]:
        return self.scoped(MeterReading.objects).select_related("meter")

    @extend_schema(
        request={"multipart/form-data": inline_serializer(
            "ReadingImport", {"office": serializers.IntegerField(), "file": serializers.FileField()}
        )},
        responses={201: ReadingSerializer(many=True)},
    )  # fmt: skip
    @action(detail=False, methods=["post"], url_path="import")
    def import_file(self, request: Request) -> Response:
        office = office_for(request, Capability.COLLECT_FEES, required=True)
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": [_("Choose a file to attach.")]})
        try:
            saved = import_readings(office, read_table(upload.name, upload.read()))
        except TableFileError as error:
            raise serializers.ValidationError({"file": [str(error)]}) from None
        except ImportRefused as refused:
            return Response(
                {"errors": [
                    {"row": e.row, "column": e.column, "message": e.message} for e in refused.errors
                ]},
                status=status.HTTP_400_BAD_REQUEST,
            )  # fmt: skip
        return Response(ReadingSerializer(saved, many=True).data, status=status.HTTP_201_CREATED)


class RemarkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Remark
        fields = ["id", "statement", "text", "taken_at", "answer", "answered_at", "work_order"]


class RemarkViewSet(ScopedReadOnlyViewSet):
    """Owners' remarks; ``?waiting=true`` for those neither answered nor escalated."""

    capability = Capability.COLLECT_FEES

    serializer_class = RemarkSerializer

    def get_queryset(self) -> QuerySet[Remark]:
        found = self.scoped(Remark.objects)
        if self.request.query_params.get("waiting") in ("true", "1"):
            found = found.filter(answered_at__isnull=True, work_order__isnull=True)
        return found

    @extend_schema(
        request=RemarkAnswer,
        responses=RemarkSerializer,
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        remark = self.get_object()
        require_capability(request.user, Capability.COLLECT_FEES, remark.office_id)
        given = RemarkAnswer(data=request.data)
        given.is_valid(raise_exception=True)
        answered = payments.answer_remark(
            remark, answer=given.validated_data["answer"], by=request.user
        )
        return Response(RemarkSerializer(answered).data)

    @extend_schema(request=None, responses=RemarkSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: str | None = None) -> Response:
        remark = self.get_object()
        require_capability(request.user, Capability.COLLECT_FEES, remark.office_id)
        return Response(RemarkSerializer(payments.escalate_remark(remark, by=request.user)).data)


@extend_schema(
    parameters=[
        OpenApiParameter("office", int, required=True),
        OpenApiParameter("quarter", str, required=True, description="2026Q4"),
        OpenApiParameter("as_of", date, description="Default: today"),
    ],
    responses=inline_serializer(
        "Collection",
        {
            "label": serializers.CharField(),
            "billed": serializers.DecimalField(14, 2),
            "collected": serializers.DecimalField(14, 2),
            "households": serializers.IntegerField(),
            "households_paid": serializers.IntegerField(),
            "rate_by_amount": serializers.DecimalField(5, 2, allow_null=True),
            "rate_by_household": serializers.DecimalField(5, 2, allow_null=True),
            "met": serializers.BooleanField(allow_null=True),
        },
        many=True,
    ),
)
@api_view(["GET"])
def collection_rate(request: Request) -> Response:
    """The quarter's collection rate for the office, then per building (target 99 % by amount).
    ``met`` is the verdict on the rate by amount, on the exact amounts (null when nothing was
    billed, or when short before the quarter is over); the rate by household is information."""
    office = office_for(request, Capability.COLLECT_FEES, required=True)
    quarter = _quarter(request.query_params.get("quarter", ""))
    given = request.query_params.get("as_of")
    as_of = day_param(given, "as_of") if given else timezone.localdate()
    rows = collection(office, str(quarter), as_of=as_of, today=timezone.localdate())
    return Response([_collection_row(row) for row in rows])


def _collection_row(row: Any) -> dict[str, Any]:
    return {
        "label": row.label, "billed": str(row.billed), "collected": str(row.collected),
        "households": row.households, "households_paid": row.households_paid,
        "rate_by_amount": None if row.rate_by_amount is None else str(row.rate_by_amount),
        "rate_by_household": None if row.rate_by_household is None else str(row.rate_by_household),
        "met": row.met,
    }  # fmt: skip


ARREARS_PAGE_SIZE = 100


@extend_schema(
    parameters=[
        OpenApiParameter("office", int, required=True),
        OpenApiParameter("unit", str, description="Part of a unit address, e.g. 3-12"),
        OpenApiParameter("page", int, description="From 1; 100 statements a page"),
    ],
    responses=inline_serializer(
        "Arrears",
        {
            "ageing": serializers.DictField(child=serializers.DecimalField(14, 2)),
            "count": serializers.IntegerField(),
            "page": serializers.IntegerField(),
            "pages": serializers.IntegerField(),
            "has_next": serializers.BooleanField(),
            "statements": StatementSerializer(many=True),
        },
    ),
)
@api_view(["GET"])
def arrears_list(request: Request) -> Response:
    """What is owed today, aged from the due date (over all of it), with the statements behind
    it, oldest due first, a page of 100 at a time (``count`` in all, ``pages``, ``has_next``)."""
    office = office_for(request, Capability.COLLECT_FEES, required=True)
    today = timezone.localdate()
    owed = arrears(office, on=today).select_related("unit", "building").prefetch_related("lines")
    unit = request.query_params.get("unit", "").strip()
    if unit:
        owed = owed.filter(unit__address__icontains=unit[:40])
    number = request.query_params.get("page", "1")
    if not number.isdigit() or int(number) < 1:
        raise serializers.ValidationError({"page": [_("Give a page number from 1.")]})
    pages = Paginator(owed, ARREARS_PAGE_SIZE)
    page = pages.get_page(int(number))  # past the last: the last
    return Response(
        {
            "ageing": {k: str(v) for k, v in ageing(owed, today).items()},
            "count": pages.count,
            "page": page.number,
            "pages": pages.num_pages,
            "has_next": page.has_next(),
            "statements": StatementSerializer(page.object_list, many=True).data,
        }
    )


def register(router: DefaultRouter) -> None:
    router.register("statements", StatementViewSet, basename="statement")
    router.register("payments", PaymentViewSet, basename="payment")
    router.register("reversals", ReversalViewSet, basename="reversal")
    router.register("bill-runs", BillRunViewSet, basename="bill-run")
    router.register("meter-readings", ReadingViewSet, basename="meter-reading")
    router.register("owner-remarks", RemarkViewSet, basename="owner-remark")
