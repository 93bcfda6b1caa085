"""The head's figures page: the time rules of a month, kept or missed (the start of the dashboard)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from estate.core.permissions import office_of_request, staff_view
from estate.reports.timeliness import rule_figures
from estate.visits.measures import month_bounds


@staff_view()
def figures(request: HttpRequest) -> HttpResponse:
    office = office_of_request(request)
    today = timezone.localdate()
    problem = ""
    try:
        month = date.fromisoformat((request.GET.get("month") or f"{today:%Y-%m}") + "-01")
    except ValueError:
        month, problem = today.replace(day=1), gettext("Write the month like 2026-11.")
    if month > today:
        month, problem = (
            today.replace(day=1),
            gettext("That month has not begun; showing this one."),
        )
    start, end = month_bounds(office, month)
    context = {
        "office": office,
        "month": month,
        "figures": rule_figures(office, start, end),
        "problem": problem,
        "section": "reports",
    }
    return render(request, "reports/figures.html", context, status=400 if problem else 200)
