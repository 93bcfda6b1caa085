"""Planned interruption pages for staff: list, plan or change, cancel, print the lobby notice.
Access as for notices: anyone of the office reads and prints; the desk (``RUN_DESK``) writes."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from estate.accounts.roles import Capability
from estate.core.forms import add_errors
from estate.core.permissions import office_for, staff_view
from estate.notices import interruptions as actions
from estate.notices.forms import InterruptionForm
from estate.notices.models import Interruption
from estate.notices.printing import interruption_pdf

SHOWN = 200


@staff_view()
def interruption_list(request: HttpRequest) -> HttpResponse:
    """Those to come or under way first (soonest first), then the cancelled and the past
    (latest first)."""
    now = timezone.now()
    mine = (
        Interruption.objects.visible_to(request.user)
        .select_related("office")
        .prefetch_related("buildings")
    )
    live = list(mine.live(now).order_by("starts_at", "id")[:SHOWN])
    rest = list(
        mine.exclude(pk__in=[i.pk for i in live])
        .order_by("-starts_at", "-id")[: max(0, SHOWN - len(live))]
    )  # fmt: skip
    return render(
        request,
        "notices/interruptions.html",
        {"interruptions": [*live, *rest], "now": now, "section": "notices"},
    )


def _save(request: HttpRequest, interruption: Interruption | None) -> HttpResponse:
    office = interruption.office if interruption else office_for(request, Capability.RUN_DESK)
    if interruption is not None:
        initial = {
            "what": interruption.what,
            "buildings": list(interruption.buildings.all()),
            "starts_at": timezone.localtime(interruption.starts_at),
            "ends_at": timezone.localtime(interruption.ends_at),
            "text": interruption.text,
            "tell_ahead": interruption.tell_ahead // timedelta(hours=1),
        }
    else:
        initial = {}
    form = InterruptionForm(request.POST or None, initial=initial, office=office)
    if request.method == "POST" and form.is_valid():
        data = form.action_data()
        try:
            if interruption is None:
                interruption = actions.plan_interruption(office=office, by=request.user, **data)
            else:
                interruption = actions.revise(interruption, by=request.user, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if interruption.told_at is None and interruption.tell_at <= timezone.now():
                messages.success(
                    request,
                    gettext(
                        "Interruption saved. Its time to tell households has come: "
                        "they are told within a minute."
                    ),
                )
            else:
                messages.success(request, gettext("Interruption saved."))
            return redirect("notices:interruptions")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "notices/interruption_edit.html",
        {"form": form, "interruption": interruption, "office": office, "section": "notices"},
        status=status,
    )


@staff_view(Capability.RUN_DESK)
def new_interruption(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@staff_view(Capability.RUN_DESK)
def edit_interruption(request: HttpRequest, pk: int) -> HttpResponse:
    interruption = get_object_or_404(
        Interruption.objects.visible_to(request.user, Capability.RUN_DESK).select_related("office"),
        pk=pk,
    )
    if interruption.cancelled_at is not None:
        messages.error(request, gettext("A cancelled interruption cannot be changed."))
        return redirect("notices:interruptions")
    return _save(request, interruption)


@staff_view(Capability.RUN_DESK)
@require_POST
def cancel_interruption(request: HttpRequest, pk: int) -> HttpResponse:
    interruption = get_object_or_404(
        Interruption.objects.visible_to(request.user, Capability.RUN_DESK), pk=pk
    )
    try:
        actions.cancel(interruption, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Interruption cancelled."))
    return redirect("notices:interruptions")


@staff_view()
def interruption_notice(request: HttpRequest, pk: int) -> HttpResponse:
    interruption = get_object_or_404(
        Interruption.objects.visible_to(request.user).select_related("office"), pk=pk
    )
    response = HttpResponse(interruption_pdf(interruption), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="interruption-{interruption.pk}.pdf"'
    return response
