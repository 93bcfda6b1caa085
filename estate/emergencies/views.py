"""Emergency pages: open one in one step, check in on scene from a phone, write and approve the report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.forms import add_errors
from estate.core.permissions import office_for, require_capability, staff_view
from estate.emergencies import actions, calls
from estate.emergencies.forms import EmergencyForm, IncidentReportForm, ReviewForm
from estate.emergencies.models import Emergency, IncidentReport, ReportStatus
from estate.timerules.choices import Rule
from estate.workorders.channels import entered_through
from estate.workorders.choices import EventChannel


@staff_view(Capability.RUN_DESK)
def new(request: HttpRequest) -> HttpResponse:
    office = office_for(request, Capability.RUN_DESK)
    form = EmergencyForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            emergency = actions.open_emergency(
                office=office,
                by=request.user,
                channel=entered_through(request),
                category=data["category"],
                description=data["description"],
                service_units=list(data["service_units"]),
                unit=data["unit"],
                location=data["location"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("Emergency opened; the responders have been called."))
            if form.unknown_unit:
                messages.warning(
                    request,
                    gettext(
                        "No unit %(unit)s was found: it is kept as the place. "
                        "Correct the unit on the order when there is time."
                    )
                    % {"unit": form.unknown_unit},
                )
            return redirect("emergencies:detail", pk=emergency.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "emergencies/new.html",
        {"form": form, "office": office, "section": "desk"},
        status=status,
    )


def _emergency(user: Any, pk: int) -> Emergency:
    return get_object_or_404(
        Emergency.objects.visible_to(user).select_related("work_order__office", "office"), pk=pk
    )


def _report(emergency: Emergency) -> IncidentReport | None:
    return (
        IncidentReport.objects.filter(emergency=emergency)
        .select_related("written_by", "reviewed_by")
        .first()
    )


@staff_view()
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    emergency = _emergency(request.user, pk)
    responders = list(emergency.responders.select_related("person"))
    report = _report(emergency)
    scope = scope_for(request.user)
    context = {
        "emergency": emergency,
        "order": emergency.work_order,
        "responders": responders,
        "clocks": {c.person_id: c for c in emergency.work_order.clocks.filter(rule=Rule.ON_SCENE)},
        "me": next((r for r in responders if r.person_id == request.user.pk), None),
        "report": report,
        "report_form": IncidentReportForm.first_draft(emergency)
        if report is None
        else IncidentReportForm(instance=report)
        if report.is_editable
        else None,
        "can_write": scope.can(Capability.RUN_DESK, emergency.office_id)
        or scope.can(Capability.ANSWER_AS_HEAD, emergency.office_id),
        "can_review": scope.can(Capability.REVIEW_INCIDENTS, emergency.office_id),
        "review_form": ReviewForm(),
        "section": "desk",
    }
    return render(request, "emergencies/detail.html", context)


@staff_view()
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    emergency = _emergency(request.user, pk)
    try:
        responder = actions.check_in(
            emergency, person=request.user, channel=entered_through(request)
        )
    except PermissionDenied as refused:
        messages.error(request, str(refused))
        return redirect("emergencies:detail", pk=pk)
    messages.success(
        request,
        gettext("On scene at %(time)s.")
        % {"time": timezone.localtime(responder.on_scene_at or timezone.now()).strftime("%H:%M")},
    )
    return redirect("emergencies:detail", pk=pk)


@staff_view(Capability.RUN_DESK)
@require_POST
def save_report(request: HttpRequest, pk: int) -> HttpResponse:
    emergency = _emergency(request.user, pk)
    report = _report(emergency)
    form = IncidentReportForm(request.POST, instance=report)
    if form.is_valid():
        try:
            report = actions.save_report(emergency, by=request.user, **form.cleaned_data)
            if "submit" in request.POST:
                actions.submit_report(report, by=request.user)
                messages.success(request, gettext("Report submitted to company leadership."))
            else:
                messages.success(request, gettext("Report saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("emergencies:detail", pk=pk)
    context: dict[str, Any] = {"emergency": emergency, "order": emergency.work_order, "report": report, "report_form": form,
               "responders": list(emergency.responders.select_related("person")), "clocks": {}, "can_write": True,
               "section": "desk"}  # fmt: skip
    return render(request, "emergencies/detail.html", context, status=400)


@staff_view(Capability.REVIEW_INCIDENTS)
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    emergency = _emergency(request.user, pk)
    require_capability(request.user, Capability.REVIEW_INCIDENTS, emergency.office_id)
    report = _report(emergency)
    if report is None:
        raise Http404
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        actions.review_report(
            report,
            by=request.user,
            approve="approve" in request.POST,
            note=form.cleaned_data.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("emergencies:detail", pk=pk)


@staff_view()
def report_pdf(request: HttpRequest, pk: int) -> FileResponse:
    report = _report(_emergency(request.user, pk))
    if report is None or report.status != ReportStatus.APPROVED or not report.archived_pdf:
        raise Http404
    return FileResponse(report.archived_pdf.open("rb"), content_type="application/pdf")


def tap_check_in(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a responder's text: one tap says "on scene", signed in or not. The link is
    the responder's own and expires (``calls.CHECK_IN_LINK_HOURS``); it can do nothing else."""
    responder = calls.responder_for(token)
    if responder is None:
        return render(request, "emergencies/tap.html", {"expired": True}, status=404)
    if request.method == "POST":
        responder = actions.check_in(
            responder.emergency, person=responder.person, channel=EventChannel.FIELD
        )
    return render(
        request,
        "emergencies/tap.html",
        {
            "responder": responder,
            "emergency": responder.emergency,
            "order": responder.emergency.work_order,
        },
    )
