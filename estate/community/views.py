"""Community activities: the office's page (needs by votes, plan, record, each office's quarter)
and the residents' page in the portal (propose, vote, sign up)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from estate.accounts.roles import Capability
from estate.community import actions
from estate.community.models import Activity, Need, SignUp
from estate.core.periods import Quarter
from estate.core.permissions import office_for, require_capability, staff_view
from estate.portal.residents import resident_of
from estate.properties.models import Office


@staff_view()
@require_http_methods(["GET", "POST"])
def office_page(request: HttpRequest) -> HttpResponse:
    office = office_for(request, Capability.VIEW_REGISTRY)
    quarter = Quarter.of(timezone.localdate())
    if request.method == "POST":
        require_capability(request.user, Capability.RUN_DESK, office.pk)
        try:
            if request.POST.get("do") == "record":
                activity = get_object_or_404(
                    Activity, pk=request.POST.get("activity") or 0, office=office
                )
                actions.record(
                    activity,
                    text=request.POST.get("record", ""),
                    took_part=[int(x) for x in request.POST.getlist("took_part") if x.isdigit()],
                )
                messages.success(request, gettext("Activity recorded."))
            else:
                need_id = request.POST.get("need")
                actions.plan(
                    office=office,
                    by=request.user,
                    title=request.POST.get("title", ""),
                    held_on=date.fromisoformat(request.POST.get("held_on") or "1900-01-01"),
                    place=request.POST.get("place", ""),
                    need=Need.objects.filter(office=office, pk=need_id).first()
                    if need_id and need_id.isdigit()
                    else None,
                )
                messages.success(request, gettext("Activity planned."))
        except (ValidationError, ValueError) as error:
            problems = error.messages if isinstance(error, ValidationError) else [str(error)]
            messages.error(request, " ".join(problems))
        return redirect(f"{reverse('community:office')}?office={office.pk}")
    context = {
        "office": office,
        "quarter": quarter,
        "needs": actions.ranked_needs(office)[:30],
        "activities": Activity.objects.filter(office=office).prefetch_related(
            Prefetch("sign_ups", queryset=SignUp.objects.select_related("resident"))
        )[:20],
        "status": actions.quarter_status(quarter, Office.objects.visible_to(request.user)),
        "section": "community",
    }
    return render(request, "community/office.html", context)


@login_required(login_url="portal:sign_in")
@require_http_methods(["GET", "POST"])
def portal_page(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request)
    if request.method == "POST":
        what = request.POST.get("do")
        try:
            if what == "propose":
                actions.propose(resident=resident, text=request.POST.get("text", ""))
                messages.success(request, gettext("Thank you: your need is listed for votes."))
            elif what == "vote":
                need = get_object_or_404(
                    Need, pk=request.POST.get("need") or 0, office_id=resident.office_id
                )
                actions.vote(need, resident=resident)
            elif what == "sign_up":
                activity = get_object_or_404(
                    Activity, pk=request.POST.get("activity") or 0, office_id=resident.office_id
                )
                actions.sign_up(activity, resident=resident)
                messages.success(request, gettext("You are signed up."))
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("portal:community")
    needs = (
        Need.objects.filter(office_id=resident.office_id)
        .annotate(n=Count("votes"))
        .order_by("-n", "-id")[:20]
    )
    voted = set(
        Need.objects.filter(office_id=resident.office_id, votes__resident=resident).values_list(
            "id", flat=True
        )
    )
    context = {
        "needs": needs,
        "voted": voted,
        "activities": Activity.objects.filter(
            office_id=resident.office_id, status=Activity.Status.PLANNED
        ).order_by("held_on"),
        "signed": set(
            SignUp.objects.filter(resident=resident).values_list("activity_id", flat=True)
        ),
    }
    return render(request, "community/portal.html", context)
