"""A resident's requests in the portal: report one, follow them, confirm, say it is not fixed,
and rate the job (the rating is the order's return visit)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from estate.core.forms import add_errors
from estate.frontdesk.actions import report_online
from estate.portal.forms import NotFixedForm, RatingForm, ReportForm
from estate.portal.residents import resident_of
from estate.properties.models import Household, Resident, Unit
from estate.visits import actions as visits
from estate.visits.choices import VisitStatus
from estate.workorders import actions as work_orders
from estate.workorders.choices import Action, EventChannel, Status
from estate.workorders.models import WorkOrder

# What a resident sees of the timeline: the steps, not the staff's notes.
PUBLIC_STEPS = {
    Action.OPEN, Action.DISPATCH, Action.ACCEPT, Action.START, Action.HOLD, Action.RESUME,
    Action.COMPLETE, Action.REPLY, Action.UPDATE_REQUESTER, Action.PROMISE, Action.CLOSE,
    Action.REOPEN, Action.CANCEL,
}  # fmt: skip


def _my_units(request: HttpRequest) -> QuerySet[Unit]:
    homes = Household.objects.current().filter(residents__user_id=request.user.pk)
    return Unit.objects.filter(households__in=homes).distinct().order_by("sort_key", "id")


def my_orders(request: HttpRequest) -> QuerySet[WorkOrder]:
    """Orders of the resident's own tenure: those they or a member of their household asked
    for, and those about a home of theirs opened while their household lived there (from
    move-in to move-out); on a campus those of their department. A previous or later
    occupant's orders are not theirs."""
    me = request.user.pk or 0
    opened_on = OuterRef("opened_on")
    lived_there = (
        Household.objects.filter(residents__user_id=me, unit_id=OuterRef("unit_id"))
        .filter(Q(move_in__isnull=True) | Q(move_in__lte=opened_on))
        .filter(Q(move_out__isnull=True) | Q(move_out__gt=opened_on))
    )
    mine = (
        Q(requester__user_id=me)
        | Q(requester__household__in=Household.objects.filter(residents__user_id=me))
        | Q(Exists(lived_there))
    )
    department_id = (
        Resident.objects.filter(user_id=me, household__isnull=True)
        .values_list("department_id", flat=True)
        .first()
    )
    if department_id:
        mine |= Q(requester__department_id=department_id)
    return WorkOrder.objects.annotate(opened_on=TruncDate("opened_at")).filter(mine).distinct()


@login_required(login_url="portal:sign_in")
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        office=resident.office,
        units=_my_units(request),
        campus=resident.household_id is None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = report_online(
                resident=resident,
                unit=data["unit"],
                service_item=data["service_item"],
                description=data["description"],
                location=data["location"],
                photos=data["photos"],
                wanted_at=data["wanted_at"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                gettext("Received: %(number)s. We will keep you informed here.")
                % {"number": order.number},
            )
            return redirect("portal:order", order.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/report.html", {"form": form}, status=status)


@login_required(login_url="portal:sign_in")
def orders(request: HttpRequest) -> HttpResponse:
    resident_of(request)
    found = my_orders(request).select_related("unit", "service_item").order_by("-opened_at")[:50]
    return render(request, "portal/orders.html", {"orders": found})


@login_required(login_url="portal:sign_in")
def order(request: HttpRequest, pk: int) -> HttpResponse:
    resident_of(request)
    found = get_object_or_404(my_orders(request).select_related("unit", "service_item"), pk=pk)
    context: dict[str, Any] = {
        "order": found,
        "steps": found.events.filter(action__in=PUBLIC_STEPS).order_by("at", "id"),
        "replies": found.replies.order_by("replied_at"),
        "rating": RatingForm(),
        "not_fixed": NotFixedForm(),
        "can_confirm": found.status in (Status.COMPLETED, Status.REPLIED),
        "visit": found.return_visits.exclude(status=VisitStatus.OPEN).first(),
        "can_rate": found.return_visits.filter(status=VisitStatus.OPEN).exists(),
    }
    return render(request, "portal/order.html", context)


@login_required(login_url="portal:sign_in")
@require_POST
def act(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    resident_of(request)
    found = get_object_or_404(my_orders(request), pk=pk)
    try:
        if what == "rate":
            rating = RatingForm(request.POST)
            if not rating.is_valid():
                raise ValidationError(rating.errors.get_json_data())
            visits.rate_from_portal(
                found,
                by=request.user,
                score=rating.cleaned_data["score"],
                comment=rating.cleaned_data["comment"],
            )
            messages.success(request, gettext("Thank you for rating the job."))
        elif what == "not_fixed":
            form = NotFixedForm(request.POST)
            if not form.is_valid():
                raise ValidationError(gettext("Say what is still wrong."))
            work_orders.reopen(
                found, reason=form.cleaned_data["reason"], by=request.user,
                channel=EventChannel.PORTAL,
            )  # fmt: skip
            messages.success(request, gettext("We have reopened it and will come back to you."))
        elif what == "confirm":
            work_orders.comment(
                found, text=gettext("The requester confirmed the job is done."),
                by=request.user, channel=EventChannel.PORTAL,
            )  # fmt: skip
            messages.success(request, gettext("Thank you for confirming."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages) or gettext("Please check the form."))
    except work_orders.TransitionRefused as refused:
        messages.error(request, str(refused))
    return redirect("portal:order", found.pk)
