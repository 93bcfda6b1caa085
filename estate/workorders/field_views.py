"""The field view's page: "my jobs" as cards for a phone (``field.my_jobs``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from estate.accounts.roles import Capability
from estate.core.permissions import staff_view
from estate.patrols.field import open_patrols
from estate.planned.querysets import field_tasks
from estate.workorders.field import my_jobs


@staff_view(Capability.DO_WORK)
def jobs(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    cards = my_jobs(request.user, now)
    return render(
        request,
        "workorders/jobs.html",
        {
            "cards": cards,
            "waiting": sum(card.waits_for_a_person for card in cards),
            "section": "jobs",
            "planned_tasks": field_tasks(request.user, now),
            "patrols": open_patrols(request.user),
        },
    )
