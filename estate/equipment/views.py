"""Staff pages of the equipment register (設備台賬). Thin: reads through ``visible_to``, writes
through ``estate.equipment.actions``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.filters import apply_filter
from estate.core.forms import add_errors
from estate.core.htmx import render_page
from estate.core.pagination import counted_page
from estate.core.permissions import office_for, staff_view
from estate.equipment import actions
from estate.equipment.filters import EquipmentFilter
from estate.equipment.forms import EquipmentForm, FaultForm, InspectionForm
from estate.equipment.labels import labels_pdf
from estate.equipment.models import Equipment
from estate.planned.models import PlannedTask
from estate.workorders.channels import entered_through
from estate.workorders.choices import OPEN_STATUSES
from estate.workorders.models import WorkOrder


def _pieces(request: HttpRequest, capability: Capability = Capability.VIEW_REGISTRY) -> Any:
    return Equipment.objects.visible_to(request.user, capability).select_related(
        "building", "office"
    )


@staff_view(Capability.VIEW_REGISTRY)
def equipment_list(request: HttpRequest) -> HttpResponse:
    filterset = apply_filter(EquipmentFilter, request, _pieces(request))
    scope = scope_for(request.user)
    context = {
        "filter": filterset,
        "page": counted_page(
            filterset.qs.order_by("office_id", "sort_key", "id"), filterset.link_params
        ),
        "today": timezone.localdate(),
        "can_edit": scope.can(Capability.EDIT_REGISTRY),
        "can_export": scope.can(Capability.EXPORT_ROSTER),
        "search_hint": gettext("Number or name"),
        "section": "equipment",
    }
    return render_page(request, "equipment/list.html", context, partial="results")


def _detail_context(request: HttpRequest, piece: Equipment, **forms: Any) -> dict[str, Any]:
    orders = (
        WorkOrder.objects.visible_to(request.user, Capability.VIEW_ORDERS)
        .filter(equipment=piece)
        .select_related("assignee", "service_unit")
        .order_by("-opened_at", "-id")
    )
    history = list(orders[:50])
    scope = scope_for(request.user)
    return {
        "piece": piece,
        "today": timezone.localdate(),
        "state": piece.inspection_state(timezone.localdate()),
        "open_orders": [order for order in history if order.status in OPEN_STATUSES],
        "history": history,
        # Its planned work (保養、巡檢): the latest occurrences the user may see, and its plans.
        "planned_tasks": list(
            PlannedTask.objects.visible_to(request.user)
            .filter(equipment=piece)
            .select_related("plan")
            .order_by("-due_at", "-id")[:20]
        ),
        "can_edit": scope.can(Capability.EDIT_REGISTRY, piece.office_id),
        "fault_form": forms.get("fault_form") or FaultForm(),
        "inspection_form": forms.get("inspection_form")
        or InspectionForm(initial={"on": timezone.localdate()}),
        "section": "equipment",
    }


@staff_view(Capability.VIEW_REGISTRY)
def equipment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    piece = get_object_or_404(_pieces(request), pk=pk)
    return render(request, "equipment/detail.html", _detail_context(request, piece))


@staff_view(Capability.VIEW_REGISTRY)
@require_POST
def report_fault(request: HttpRequest, pk: int) -> HttpResponse:
    piece = get_object_or_404(_pieces(request), pk=pk)
    form = FaultForm(request.POST)
    if form.is_valid():
        try:
            order = actions.report_fault(
                piece,
                description=form.cleaned_data["description"],
                by=request.user,
                channel=entered_through(request),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                gettext("Fault reported: work order %(number)s waits for dispatch.")
                % {"number": order.number},
            )
            return redirect("equipment:detail", pk=piece.pk)
    context = _detail_context(request, piece, fault_form=form)
    return render(request, "equipment/detail.html", context, status=400)


@staff_view(Capability.EDIT_REGISTRY)
@require_POST
def record_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    piece = get_object_or_404(_pieces(request, Capability.EDIT_REGISTRY), pk=pk)
    form = InspectionForm(request.POST)
    if form.is_valid():
        try:
            actions.record_inspection(piece, on=form.cleaned_data["on"], by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("Legal inspection recorded."))
            return redirect("equipment:detail", pk=piece.pk)
    context = _detail_context(request, piece, inspection_form=form)
    return render(request, "equipment/detail.html", context, status=400)


@staff_view(Capability.EDIT_REGISTRY)
@require_POST
def retire(request: HttpRequest, pk: int) -> HttpResponse:
    piece = get_object_or_404(_pieces(request, Capability.EDIT_REGISTRY), pk=pk)
    actions.retire_equipment(piece, by=request.user)
    messages.success(request, gettext("Taken out of service."))
    return redirect("equipment:detail", pk=piece.pk)


@staff_view(Capability.EDIT_REGISTRY)
def equipment_new(request: HttpRequest) -> HttpResponse:
    office = office_for(request, Capability.EDIT_REGISTRY)
    form = EquipmentForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            piece = actions.add_equipment(office=office, by=request.user, **form.values())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("Added to the register."))
            return redirect("equipment:detail", pk=piece.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "office": office, "piece": None, "section": "equipment"}
    return render(request, "equipment/form.html", context, status=status)


@staff_view(Capability.EDIT_REGISTRY)
def equipment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    piece = get_object_or_404(_pieces(request, Capability.EDIT_REGISTRY), pk=pk)
    form = EquipmentForm(request.POST or None, instance=piece, office=piece.office)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        piece.refresh_from_db()  # the form wrote its values onto the instance; the action decides
        try:
            actions.edit_equipment(piece, by=request.user, **values)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("Saved."))
            return redirect("equipment:detail", pk=piece.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "office": piece.office, "piece": piece, "section": "equipment"}
    return render(request, "equipment/form.html", context, status=status)


@staff_view(Capability.VIEW_REGISTRY)
def labels(request: HttpRequest) -> HttpResponse:
    """The A4 sheet of QR labels of one office's pieces in service, filtered like the list."""
    office = office_for(request, Capability.VIEW_REGISTRY)
    pieces = _pieces(request).filter(office=office, is_active=True)
    filterset = EquipmentFilter(request.GET, queryset=pieces, request=request)
    chosen = filterset.qs.order_by("sort_key", "id")

    def address(piece: Equipment) -> str:
        return request.build_absolute_uri(reverse("equipment:label", args=[piece.label_token]))

    response = HttpResponse(labels_pdf(chosen, address), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="labels-{office.code}.pdf"'
    return response


def label(request: HttpRequest, token: str) -> HttpResponse:
    """Where a scanned label leads: the piece's page for staff of its office. Anyone else is
    asked to sign in first (and comes back here); no one learns which office a label is of."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    piece = Equipment.objects.filter(label_token=token).first()
    if piece is None:
        message = gettext("No equipment has this label.")
        return render(request, "core/refused.html", {"message": message}, status=404)
    if not Equipment.objects.visible_to(request.user).filter(pk=piece.pk).exists():
        raise PermissionDenied(gettext("This label belongs to another office."))
    return redirect("equipment:detail", pk=piece.pk)
