"""Patrol pages: the office's routes and their points (MANAGE_OFFICE), the labels to print, the
guard's scan page and the address a label's QR code opens (DO_WORK), the route's report of
coverage night by night (VIEW_REPORTS)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from estate.accounts.roles import Capability
from estate.core.forms import add_errors
from estate.core.htmx import render_page
from estate.core.permissions import office_for, staff_view
from estate.patrols import actions
from estate.patrols.field import open_patrols
from estate.patrols.figures import coverage
from estate.patrols.forms import NightsForm, PointForm, RouteForm, ScanForm
from estate.patrols.models import CheckPoint, PatrolRoute
from estate.patrols.printing import labels_pdf
from estate.properties.models import ServiceUnit


def _route(request: HttpRequest, pk: int, capability: Capability) -> PatrolRoute:
    return get_object_or_404(
        PatrolRoute.objects.visible_to(request.user, capability).select_related(
            "office", "service_unit"
        ),
        pk=pk,
    )


# ---------------------------------------------------------------- routes (the office)


@staff_view(Capability.MANAGE_OFFICE)
def routes(request: HttpRequest) -> HttpResponse:
    office = office_for(request, Capability.MANAGE_OFFICE)
    units = ServiceUnit.objects.filter(office=office, is_active=True)
    form = RouteForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            route = actions.add_route(office=office, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("patrols:route", route.pk)
    listed = PatrolRoute.objects.in_office(office).select_related("service_unit")
    return render_page(
        request,
        "patrols/routes.html",
        {"office": office, "routes": listed, "form": form, "section": "patrols"},
    )


@staff_view(Capability.MANAGE_OFFICE)
def route(request: HttpRequest, pk: int) -> HttpResponse:
    patrol_route = _route(request, pk, Capability.MANAGE_OFFICE)
    form = PointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_point(route=patrol_route, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("patrols:route", patrol_route.pk)
    return render_page(
        request,
        "patrols/route.html",
        {
            "route": patrol_route,
            "points": patrol_route.points.order_by("position"),
            "form": form,
            "section": "patrols",
        },
    )


def _point(request: HttpRequest, pk: int) -> CheckPoint:
    return get_object_or_404(
        CheckPoint.objects.visible_to(request.user, Capability.MANAGE_OFFICE).select_related(
            "route"
        ),
        pk=pk,
    )


@require_POST
@staff_view(Capability.MANAGE_OFFICE)
def move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    point = _point(request, pk)
    actions.move_point(point=point, by=request.user, up=direction == "up")
    return redirect("patrols:route", point.route_id)


@require_POST
@staff_view(Capability.MANAGE_OFFICE)
def renew(request: HttpRequest, pk: int) -> HttpResponse:
    point = _point(request, pk)
    actions.renew_code(point=point, by=request.user)
    return redirect("patrols:route", point.route_id)


@staff_view(Capability.MANAGE_OFFICE)
def labels(request: HttpRequest, pk: int) -> HttpResponse:
    patrol_route = _route(request, pk, Capability.MANAGE_OFFICE)
    pdf = labels_pdf(
        patrol_route,
        lambda point: request.build_absolute_uri(reverse("patrols:point", args=[point.code])),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="route-{patrol_route.pk}-labels.pdf"'
    return response


# ---------------------------------------------------------------- the report


@staff_view(Capability.VIEW_REPORTS)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    patrol_route = _route(request, pk, Capability.VIEW_REPORTS)
    form = NightsForm(request.GET)
    form.is_valid()  # an unreadable date shows its error; the default nights are shown meanwhile
    nights = form.cleaned_data
    figures = (
        coverage(patrol_route.office, nights["start"], nights["end"], route=patrol_route)
        if not form.errors
        else None
    )
    return render_page(
        request,
        "patrols/report.html",
        {"route": patrol_route, "form": form, "figures": figures, "section": "patrols"},
    )


# ---------------------------------------------------------------- the guard's phone


def _scan(request: HttpRequest, code: str, form: ScanForm) -> dict[str, Any]:
    """Record the scan the form describes; what the page says about it."""
    data = form.cleaned_data
    try:
        result = actions.scan(
            code,
            by=request.user,
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            accuracy=data.get("accuracy"),
            method=data.get("method") or None,
        )
    except ValidationError as error:
        add_errors(form, error)
        return {"refused": True}
    return {"result": result, "task_id": result.scan.task_id}


@staff_view(Capability.DO_WORK)
def scan(request: HttpRequest) -> HttpResponse:
    form = ScanForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        context = _scan(request, form.cleaned_data["code"], form)
        form = ScanForm() if "result" in context else form
    return render_page(
        request,
        "patrols/scan.html",
        {**context, "form": form, "patrols": open_patrols(request.user), "section": "jobs"},
        partial="scanned",
    )


@staff_view(Capability.DO_WORK)
def point(request: HttpRequest, code: str) -> HttpResponse:
    """The address on a label: opened by the phone's camera app, it asks for the location and
    records the scan (the script sends the form by itself; without it, one tap)."""
    form = ScanForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        context = _scan(request, code, form)
    return render_page(
        request,
        "patrols/point.html",
        {
            **context,
            "code": code,
            "form": form,
            "patrols": open_patrols(request.user),
            "section": "jobs",
        },
    )
