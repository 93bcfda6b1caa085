"""A resident's requests in the portal: report one, follow them and see the work done, confirm,
say it is not fixed, write or send a photo while it is open, and rate the job (the rating is
the order's return visit)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from estate.core import uploads
from estate.core.forms import add_errors
from estate.core.htmx import render_page
from estate.frontdesk.actions import MAX_PHOTOS, report_online
from estate.portal import answers, pending
from estate.portal.forms import MessageForm, NotFixedForm, RatingForm, ReportForm
from estate.portal.residents import resident_of
from estate.portal.service_items import chosen, notification
from estate.portal.work import work_of
from estate.properties.models import Household, Resident, Unit
from estate.visits import actions as visits
from estate.visits.choices import VisitStatus
from estate.workorders import actions as work_orders
from estate.workorders.choices import Action
from estate.workorders.models import Attachment, WorkOrder

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
    """Report a problem. The form starts on the resident's own home (their household's unit),
    the common case. Photos chosen with a report that is sent back are kept (``portal.pending``)
    and named on the form, so the resident need not choose them again. Choosing an item shows
    its one-time notification: fetched by HTMX into the form, or, without scripts, shown when
    the form is previewed ("Show what to prepare") or sent back."""
    resident = resident_of(request)
    units = _my_units(request)
    initial: dict[str, Any] = {}
    home = resident.household.unit if resident.household is not None else None
    if home is not None and units.filter(pk=home.pk).exists():
        initial["unit"] = home.pk
    if request.method == "GET" and request.GET.get("service_item"):
        initial["service_item"] = request.GET["service_item"]
    preview = request.method == "POST" and "preview" in request.POST
    if preview:  # not sent: shown again with the item's notification, without errors
        initial.update(
            (name, value) for name, value in request.POST.items() if name in ReportForm.base_fields
        )
    options: dict[str, Any] = {
        "office": resident.office,
        "units": units,
        "campus": resident.household_id is None,
        "item_info_url": reverse("portal:report"),
    }
    bound = request.method == "POST" and not preview
    form = (
        ReportForm(request.POST, request.FILES or None, **options)
        if bound
        else ReportForm(initial=initial, **options)
    )
    source = request.POST if request.method == "POST" else request.GET
    item = chosen(form.service_items(), source.get("service_item") or initial.get("service_item"))
    if request.method == "GET" and getattr(request, "htmx", None):
        return render_page(request, "portal/report.html", notification(item), partial="item_info")
    kept = pending.tokens_sent(request) if request.method == "POST" else []
    if bound and form.is_valid():
        data = form.cleaned_data
        try:
            order = report_online(
                resident=resident,
                unit=data["unit"],
                service_item=data["service_item"],
                description=data["description"],
                location=data["location"],
                photos=[*pending.take(request, kept), *data["photos"]],
                wanted_at=data["wanted_at"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            pending.forget(request, kept)
            messages.success(
                request,
                gettext("Received: %(number)s. We will keep you informed here.")
                % {"number": order.number},
            )
            return redirect("portal:order", order.pk)
    if request.method == "POST":  # sent back or previewed: the photos just chosen are kept
        kept = [*kept, *pending.keep(request, request.FILES.getlist("photos"))]
        pending.forget(request, kept[:-MAX_PHOTOS])  # the latest three stay, as on the order
        kept = kept[-MAX_PHOTOS:]
    context = {
        "form": form,
        "kept": pending.names(request, kept),
        "kept_tokens": " ".join(token for token, _name in pending.names(request, kept)),
        **notification(item),
    }
    status = 400 if bound else 200
    return render(request, "portal/report.html", context, status=status)


@login_required(login_url="portal:sign_in")
def orders(request: HttpRequest) -> HttpResponse:
    resident_of(request)
    found = my_orders(request).select_related("unit", "service_item").order_by("-opened_at")[:50]
    return render(request, "portal/orders.html", {"orders": found})


def _order_page(
    request: HttpRequest, found: WorkOrder, *, message: MessageForm | None = None, status: int = 200
) -> HttpResponse:
    events = list(found.events.select_related("actor").order_by("at", "id"))
    answered = answers.answer(found, events)
    visits_ = list(found.return_visits.order_by("id"))
    context: dict[str, Any] = {
        "order": found,
        "steps": [e for e in events if e.action in PUBLIC_STEPS],
        "replies": found.replies.order_by("replied_at"),
        "work": work_of(found, events),
        "rating": RatingForm(),
        "not_fixed": NotFixedForm(),
        "can_confirm": found.status in answers.ANSWERABLE and answered is None,
        "answered": answered,
        "can_write": answers.can_write(found),
        "message": message or MessageForm(),
        "visit": next((v for v in visits_ if v.status != VisitStatus.OPEN), None),
        "can_rate": any(v.status == VisitStatus.OPEN for v in visits_),
    }
    return render(request, "portal/order.html", context, status=status)


@login_required(login_url="portal:sign_in")
def order(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident's order: its steps and what the office told them, and the work as it was
    done (who came and when, what was done, materials, fee, photos); confirming, saying it is
    not fixed and rating once each; a message or photo while it is open."""
    resident_of(request)
    related = ("unit", "service_item", "service_unit", "assignee")
    found = get_object_or_404(my_orders(request).select_related(*related), pk=pk)
    return _order_page(request, found)


@login_required(login_url="portal:sign_in")
def photo(request: HttpRequest, pk: int, photo_id: int) -> FileResponse:
    """A photo (or file) of one of the resident's own orders, served like the staff's (media
    files are not served openly); another household's gets 404, like the order itself."""
    resident_of(request)
    found = get_object_or_404(my_orders(request), pk=pk)
    attachment = get_object_or_404(Attachment, pk=photo_id, work_order=found)
    return uploads.serve(
        attachment.file,
        content_type=attachment.content_type,
        display_name=attachment.original_name,
    )


@login_required(login_url="portal:sign_in")
@require_POST
def act(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    resident = resident_of(request)
    found = get_object_or_404(my_orders(request).select_related("unit", "office"), pk=pk)
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
            answers.not_fixed(found, reason=form.cleaned_data["reason"], by=request.user)
            messages.success(request, gettext("We have reopened it and will come back to you."))
        elif what == "confirm":
            answers.confirm(found, by=request.user)
            messages.success(request, gettext("Thank you for confirming."))
        elif what == "message":
            if not answers.can_write(found):  # closed meanwhile: said above the page
                raise ValidationError(answers.NOT_OPEN)
            message = MessageForm(request.POST, request.FILES or None)
            if not message.is_valid():
                return _order_page(request, found, message=message, status=400)
            try:
                answers.write(
                    found,
                    resident=resident,
                    text=message.cleaned_data["text"],
                    photos=message.cleaned_data["photos"],
                )
            except ValidationError as error:
                add_errors(message, error)
                return _order_page(request, found, message=message, status=400)
            messages.success(request, gettext("Sent: it is on your request for the team."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages) or gettext("Please check the form."))
    except work_orders.TransitionRefused as refused:
        messages.error(request, str(refused))
    return redirect("portal:order", found.pk)
