"""The figures over the API: every target beside its actual figure for offices and a period,
for leadership's own tools (same numbers and the same access as the dashboard)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.properties.models import Office
from estate.reports.dashboard import OfficeFigures, dashboard, total
from estate.reports.measures import Figure
from estate.reports.periods import Period, PeriodError
from estate.reports.views import OFFICE_NUMBER


def _figure(figure: Figure) -> dict[str, Any]:
    return {
        "measure": figure.measure.key,
        "label": str(figure.measure.label),
        "requirement": figure.measure.requirement,
        "value": None if figure.value is None else str(figure.value),
        "part": str(figure.part),
        "whole": None if figure.whole is None else str(figure.whole),
        "target": str(figure.goal),
        "met": figure.met,
    }


def _row(row: OfficeFigures) -> dict[str, Any]:
    return {
        "office": None if row.office is None else row.office.code,
        "figures": [_figure(figure) for figure in row],
    }


FIGURES = inline_serializer(  # an office's figures: a list, one per measure
    "Figure",
    {
        "measure": serializers.CharField(),
        "label": serializers.CharField(),
        "requirement": serializers.CharField(),
        "value": serializers.DecimalField(max_digits=14, decimal_places=1, allow_null=True),
        "part": serializers.DecimalField(max_digits=14, decimal_places=2),
        "whole": serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True),
        "target": serializers.DecimalField(max_digits=14, decimal_places=2),
        "met": serializers.BooleanField(allow_null=True),
    },
    many=True,
)


@extend_schema(
    parameters=[
        OpenApiParameter("period", str, description="2026-11-05, 2026-11 or 2026Q4"),
        OpenApiParameter("office", int, description="one office; all you may see when left out"),
    ],
    responses=inline_serializer(
        "Figures",
        {
            "period": serializers.CharField(),
            "offices": inline_serializer(
                "OfficeFigures",
                {"office": serializers.CharField(allow_null=True), "figures": FIGURES},
                many=True,
            ),
            "total": inline_serializer(
                "TotalFigures",
                {"office": serializers.CharField(allow_null=True), "figures": FIGURES},
            ),
        },
    ),
)
@api_view(["GET"])
def figures(request: Request) -> Response:
    """Every seed target beside its figure (counts, target, met) per office, and their total."""
    ids = [info.id for info in scope_for(request.user).offices_with(Capability.VIEW_REPORTS)]
    if not ids:
        raise PermissionDenied
    wanted = request.query_params.get("office", "").strip()
    if wanted:
        if not OFFICE_NUMBER.fullmatch(wanted):
            raise serializers.ValidationError(
                {"office": [_("“office” must be the number of an office.")]}
            )
        if int(wanted) not in ids:
            raise NotFound(_("You may not see the figures of that office, or it does not exist."))
        ids = [int(wanted)]
    try:
        period = Period.parse(request.query_params.get("period"), today=timezone.localdate())
    except PeriodError as error:
        raise serializers.ValidationError({"period": [str(error)]}) from None
    rows = dashboard(
        list(Office.objects.filter(pk__in=ids).order_by("name")),
        period,
        today=timezone.localdate(),
    )
    return Response(
        {"period": str(period), "offices": [_row(r) for r in rows], "total": _row(total(rows))}
    )
