"""The office's time-rule board: clocks due soon and clocks breached, newest first."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from estate.accounts.roles import Capability
from estate.core.permissions import staff_view
from estate.timerules.choices import ClockState
from estate.timerules.models import Clock

DUE_SOON = timedelta(hours=2)


@staff_view(Capability.VIEW_ORDERS)
def board(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    clocks = Clock.objects.visible_to(request.user).select_related(
        "work_order__unit",
        "work_order__assignee",
        "work_order__service_unit",
        "work_order__office",
        "person",
    )
    due_soon = list(
        clocks.filter(state=ClockState.RUNNING, due_at__lte=now + DUE_SOON).order_by("due_at")[:100]
    )
    breached = list(
        clocks.filter(state=ClockState.BREACHED, met_at__isnull=True).order_by("-breached_at")[:100]
    )
    context = {"due_soon": due_soon, "breached": breached, "now": now, "section": "clocks"}
    return render(request, "timerules/board.html", context)
