"""Staff pages of the property registry. Thin: reads through ``visible_to``, writes through actions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.filters import apply_filter
from estate.core.htmx import render_page
from estate.core.pagination import page_of
from estate.core.permissions import staff_view
from estate.messaging.actions import consents_of
from estate.messaging.choices import DESK_CONSENT_CHANNELS
from estate.properties import actions
from estate.properties.filters import (
    BuildingFilter,
    ResidentFilter,
    ServiceUnitFilter,
    UnitFilter,
    natural_unit_order,
)
from estate.properties.models import Building, Household, Resident, ServiceUnit, Unit


def _current_households() -> Prefetch:
    return Prefetch(
        "households",
        queryset=Household.objects.current().prefetch_related(
            Prefetch("residents", queryset=Resident.objects.order_by("-is_primary", "name"))
        ),
        to_attr="current_households",
    )


@staff_view()
def unit_list(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.visible_to(request.user).select_related("building", "office")
    filterset = apply_filter(UnitFilter, request, units)
    page = page_of(
        natural_unit_order(filterset.qs).prefetch_related(_current_households()),
        filterset.link_params,
    )
    context = {"filter": filterset, "page": page, "section": "units"}
    return render_page(request, "properties/unit_list.html", context, partial="results")


@staff_view()
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(
        Unit.objects.visible_to(request.user).select_related("building__site", "office"), pk=pk
    )
    households = unit.households.prefetch_related(
        Prefetch("residents", queryset=Resident.objects.order_by("-is_primary", "name"))
    ).order_by("-move_in")
    scope = scope_for(request.user)
    can_record_consent = scope.can(Capability.RUN_DESK, unit.office_id)
    if can_record_consent:
        people = [resident for household in households for resident in household.residents.all()]
        consents = consents_of(resident.pk for resident in people)
        for resident in people:
            resident.consented = consents[resident.pk]  # type: ignore[attr-defined]
    context = {
        "unit": unit,
        "households": households,
        "can_reveal": scope.can(Capability.REVEAL_PHONE, unit.office_id),
        "can_record_consent": can_record_consent,
        "desk_channels": DESK_CONSENT_CHANNELS,
        "section": "units",
    }
    return render(request, "properties/unit_detail.html", context)


@staff_view()
def resident_list(request: HttpRequest) -> HttpResponse:
    residents = Resident.objects.visible_to(request.user).select_related(
        "household__unit", "department", "office"
    )
    filterset = apply_filter(ResidentFilter, request, residents)
    page = page_of(filterset.qs.order_by("office_id", "name", "id"), filterset.link_params)
    context = {"filter": filterset, "page": page, "section": "residents"}
    return render_page(request, "properties/resident_list.html", context, partial="results")


@staff_view()
@require_POST
def reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one resident's full number, and record who saw it: anyone with the right to any
    number of the office, or (``?order=``) someone handling that open order of theirs."""
    from estate.workorders.policy import may_reveal_requester

    resident = get_object_or_404(Resident.objects.visible_to(request.user), pk=pk)
    order = None
    if not scope_for(request.user).can(Capability.REVEAL_PHONE, resident.office_id):
        visit = visit_to_make(request, resident)
        if visit is not None:
            order = visit.work_order
        else:
            order = handled_order(request, resident)
            if order is None or not may_reveal_requester(request.user, order):
                raise PermissionDenied(_("You may not see this number."))
    actions.record_phone_reveal(
        resident=resident, viewer=request.user, channel="ui", work_order=order
    )
    return render(request, "properties/_phone.html", {"resident": resident, "revealed": True})


def visit_to_make(request: HttpRequest, resident: Resident) -> Any:
    """The open return visit named by ``?visit=`` that the user may record, to ``resident``'s
    household: its caller dials the number."""
    from estate.visits.choices import VisitStatus
    from estate.visits.models import ReturnVisit

    number = request.GET.get("visit", "")
    if not number.isdigit() or resident.household_id is None:
        return None
    return (
        ReturnVisit.objects.visible_to(request.user, Capability.RECORD_VISITS)
        .filter(pk=int(number), status=VisitStatus.OPEN, household_id=resident.household_id)
        .select_related("work_order")
        .first()
    )


def handled_order(request: HttpRequest, resident: Resident) -> Any:
    """The order named by ``?order=`` whose requester is ``resident``, if the user sees it."""
    from estate.workorders.models import WorkOrder

    number = request.GET.get("order", "")
    if not number.isdigit():
        return None
    return (
        WorkOrder.objects.visible_to(request.user, Capability.DO_WORK)
        .filter(pk=int(number), requester=resident)
        .first()
    )


@staff_view()
def building_list(request: HttpRequest) -> HttpResponse:
    buildings = (
        Building.objects.visible_to(request.user)
        .select_related("site", "office")
        .annotate(unit_count=Count("units"))
        .order_by("office_id", "sort_key", "id")
    )
    filterset = apply_filter(BuildingFilter, request, buildings)
    page = page_of(filterset.qs, filterset.link_params, size=100)
    context = {"filter": filterset, "page": page, "section": "buildings"}
    return render_page(request, "properties/building_list.html", context, partial="results")


@staff_view()
def service_unit_list(request: HttpRequest) -> HttpResponse:
    service_units = (
        ServiceUnit.objects.visible_to(request.user)
        .select_related("office", "lead")
        .prefetch_related("duty_officers")
    )
    filterset = apply_filter(ServiceUnitFilter, request, service_units)
    page = page_of(filterset.qs.order_by("office_id", "name"), filterset.link_params, size=100)
    context = {"filter": filterset, "page": page, "section": "service_units"}
    return render_page(request, "properties/service_unit_list.html", context, partial="results")
