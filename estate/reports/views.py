"""The head's dashboard, leadership's comparison of offices, and what lies behind each figure."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from estate.accounts.access import scope_for
from estate.accounts.models import User
from estate.accounts.roles import Capability
from estate.core.downloads import pdf_response, xlsx_response
from estate.core.permissions import office_for, require_capability, staff_view
from estate.frontdesk.roster import coming_gaps
from estate.properties.actions import record_export
from estate.properties.models import Office, ServiceUnit
from estate.reports import drill as drills
from estate.reports import planned_drill, planned_work
from estate.reports.dashboard import OfficeFigures, dashboard, dashboards, total
from estate.reports.evaluation import evaluate, evaluation_xlsx, table
from estate.reports.measures import (
    BY_KEY,
    EQUIPMENT_FAULTS,
    MEASURES,
    PLANNED_ON_TIME,
    SECTION_LABELS,
    Section,
    Unit,
)
from estate.reports.monthly import as_pdf, as_xlsx, long_running, monthly_report
from estate.reports.periods import Period, PeriodError, PeriodKind
from estate.timerules.models import MISSED, Clock
from estate.visits.models import OpinionItem

TREND_PERIODS = 6
OFFICE_NUMBER = re.compile(r"[0-9]{1,9}")


class Refused(Exception):
    """A request for figures that cannot be answered; the message names what was wrong."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def offices_for(request: HttpRequest, capability: Capability) -> list[Office]:
    ids = [info.id for info in scope_for(request.user).offices_with(capability)]
    if not ids:
        raise PermissionDenied
    return list(Office.objects.filter(pk__in=ids).order_by("name"))


def chosen_office(request: HttpRequest, capability: Capability) -> Office:
    """``?office=`` among the offices where the user holds ``capability`` (the first when not
    given); a refusal as the figures pages show it."""
    try:
        office: Office = office_for(request, capability)
    except BadRequest as error:
        raise Refused(str(error), 400) from None
    except PermissionDenied as error:
        raise Refused(str(error), 403) from None
    return office


def chosen_period(request: HttpRequest) -> tuple[Period, str]:
    """``?period=`` (this month when not given); a bad one shows this month with the reason."""
    today = timezone.localdate()
    try:
        return Period.parse(request.GET.get("period"), today=today), ""
    except PeriodError as error:
        return Period.month_of(today), str(error)


def refused(request: HttpRequest, error: Refused) -> HttpResponse:
    return render(
        request,
        "reports/refused.html",
        {"message": error.message, "section": "reports"},
        status=error.status,
    )


@dataclass(frozen=True)
class OfficePage:
    """What every office page of the figures starts from: the office, the period, and the
    offices the user may switch to; ``problem`` names a period that could not be shown."""

    offices: list[Office]
    office: Office
    period: Period
    problem: str

    def render(self, request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
        base = {
            "offices": self.offices,
            "office": self.office,
            "period": self.period,
            "problem": self.problem,
        }
        status = 400 if self.problem else 200
        return render(request, template, {**base, **context}, status=status)


def office_page(capability: Capability) -> Callable[[Callable[..., HttpResponse]], Any]:
    """Decorator: staff with ``capability``; the office and period chosen, or a plain refusal."""

    def decorator(view: Callable[..., HttpResponse]) -> Any:
        @staff_view(capability)
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            offices = offices_for(request, capability)
            try:
                office = chosen_office(request, capability)
            except Refused as error:
                return refused(request, error)
            period, problem = chosen_period(request)
            page = OfficePage(offices, office, period, problem)
            return view(request, page, *args, **kwargs)

        return wrapped

    return decorator


def sections(row: OfficeFigures) -> list[tuple[Any, list[Any]]]:
    by_section: dict[Section, list[Any]] = {}
    for figure in row:
        by_section.setdefault(figure.measure.section, []).append(figure)
    return [(SECTION_LABELS[section], figures) for section, figures in by_section.items()]


def trend(offices: list[Office], period: Period) -> dict[str, Any]:
    """The figures of this period and the ones before it, for the chart (offices added up)."""
    today = timezone.localdate()
    periods = period.earlier(TREND_PERIODS)
    rows = [total(by_office) for by_office in dashboards(offices, periods, today=today)]
    series = []
    for measure in MEASURES:
        values = [
            None
            if (f := row.figures.get(measure.key)) is None or f.value is None
            else float(f.value)
            for row in rows
        ]
        if any(v is not None for v in values):
            series.append(
                {
                    "key": measure.key,
                    "name": str(measure.label),
                    "values": values,
                    "target": float(measure.target) if measure.unit != Unit.HOUSEHOLDS else None,
                }
            )
    return {"periods": [str(p) for p in periods], "series": series}


@office_page(Capability.VIEW_REPORTS)
def office_dashboard(request: HttpRequest, page: OfficePage) -> HttpResponse:
    office, period = page.office, page.period
    row = dashboard([office], period, today=timezone.localdate())[0]
    open_orders = long_running(office, timezone.now())
    context = {
        "sections": sections(row),
        "missed": row.missed,
        "trend_url": _trend_url(period, office),
        "long_running": list(open_orders[:10]),
        "long_running_count": open_orders.count(),
        "coming_gaps": coming_gaps(office, timezone.now()),
        "unanswered_items": OpinionItem.objects.filter(
            office=office, answered_at__isnull=True
        ).count(),
        "faults": planned_work.faults(office, period),
        "section": "reports",
    }
    return page.render(request, "reports/dashboard.html", context)


@staff_view(Capability.VIEW_REPORTS)
def company(request: HttpRequest) -> HttpResponse:
    """Every office the user may see side by side, with the counts behind each rate."""
    offices = offices_for(request, Capability.VIEW_REPORTS)
    period, problem = chosen_period(request)
    rows = dashboard(offices, period, today=timezone.localdate())
    together = total(rows)
    table = [
        (
            measure,
            [(row.office, row.figures.get(measure.key)) for row in rows],
            together.figures.get(measure.key),
        )
        for measure in MEASURES
        if measure.key in together.figures
    ]
    context = {
        "offices": offices,
        "period": period,
        "problem": problem,
        "table": table,
        "trend_url": _trend_url(period, None),
        "section": "reports",
    }
    return render(request, "reports/company.html", context, status=400 if problem else 200)


def _trend_url(period: Period, office: Office | None) -> str:
    query = {"period": str(period), **({"office": office.pk} if office else {"all": 1})}
    return f"{reverse('reports:trend')}?{urlencode(query)}"


@staff_view(Capability.VIEW_REPORTS)
def trend_data(request: HttpRequest) -> HttpResponse:
    """The chart's figures over the last periods, fetched after the page (it costs six periods)."""
    offices = offices_for(request, Capability.VIEW_REPORTS)
    try:
        chosen = (
            offices if request.GET.get("all") else [chosen_office(request, Capability.VIEW_REPORTS)]
        )
    except Refused as error:
        return JsonResponse({"error": error.message}, status=error.status)
    period, problem = chosen_period(request)
    if problem:
        return JsonResponse({"error": problem}, status=400)
    return JsonResponse(trend(chosen, period))


@office_page(Capability.VIEW_REPORTS)
def drill(request: HttpRequest, page: OfficePage, key: str) -> HttpResponse:
    if key not in BY_KEY and key != EQUIPMENT_FAULTS.key:
        message = _("There is no figure called “%(key)s”.") % {"key": key[:40]}
        return refused(request, Refused(message, 404))
    office, period = page.office, page.period
    number = request.GET.get("page", "1")
    page_number = int(number) if OFFICE_NUMBER.fullmatch(number) else 1
    context: dict[str, Any] = {"section": "reports"}
    if key in planned_drill.DRILLS:
        piece = request.GET.get("equipment", "")
        equipment = int(piece) if OFFICE_NUMBER.fullmatch(piece) else None
        found = planned_drill.drill(key, office, period, page_number, equipment)
        context["extra_query"] = f"&equipment={equipment}" if equipment else ""
        if key == PLANNED_ON_TIME.key:
            context["shares"] = dict(
                zip(("plans", "units"), planned_work.by_plan_and_unit(office, period), strict=True)
            )
    else:
        found = drills.drill(key, office, period, page_number)
    context |= {
        "measure": BY_KEY.get(key, EQUIPMENT_FAULTS),
        "figure": dashboard([office], period, today=timezone.localdate())[0].figures.get(key),
        "drill": found,
        "rows": list(zip(found.rows, found.clock_ids or [None] * len(found.rows), strict=True)),
    }
    return page.render(request, "reports/drill.html", context)


@staff_view(Capability.VIEW_REPORTS)
@require_POST
def missed_reason(request: HttpRequest, pk: int) -> HttpResponse:
    """Why a time rule was missed, for the monthly report and the office meeting."""
    clock = get_object_or_404(Clock.objects.visible_to(request.user).filter(MISSED), pk=pk)
    require_capability(request.user, Capability.VIEW_REPORTS, clock.office_id)
    reason = request.POST.get("reason", "").strip()[:300]
    clock.missed_reason, clock.missed_reason_by = reason, request.user if reason else None
    clock.save(update_fields=["missed_reason", "missed_reason_by"])
    back = reverse("reports:drill", args=[clock.rule])
    period = request.POST.get("period", "")
    return redirect(f"{back}?{urlencode({'office': clock.office_id, 'period': period})}")


@staff_view(Capability.VIEW_REPORTS)
def monthly(request: HttpRequest) -> HttpResponse:
    """The month's report as a PDF or a workbook."""
    try:
        office = chosen_office(request, Capability.VIEW_REPORTS)
        period = Period.parse(request.GET.get("period"), today=timezone.localdate())
        if period.kind != PeriodKind.MONTH:
            raise PeriodError(_("The monthly report is for a month: write it like 2026-11."))
    except Refused as error:
        return refused(request, error)
    except PeriodError as error:
        return refused(request, Refused(str(error), 400))
    report = monthly_report(office, period)
    name = f"{office.code}-{period}"
    if request.GET.get("format") == "xlsx":
        return xlsx_response(as_xlsx(report), name)
    return pdf_response(as_pdf(report), name)


def evaluated(request: HttpRequest, office: Office) -> tuple[list[ServiceUnit], list[User]]:
    """The head and leadership evaluate every unit and person; a team lead the units they lead
    and the people in them (another role in the office, such as manager, does not widen that)."""
    units = ServiceUnit.objects.filter(office=office, is_active=True).order_by("name")
    staff = User.objects.filter(staff_roles__office=office)
    scope = scope_for(request.user)
    if not scope.can(Capability.EVALUATE_ALL, office.pk):
        led = ServiceUnit.objects.filter(office=office, pk__in=scope.led_unit_ids)
        units = units.filter(pk__in=led)
        staff = staff.filter(staff_roles__service_unit__in=led)
    return list(units), list(staff.distinct().order_by("display_name", "username"))


@office_page(Capability.EVALUATE)
def evaluation(request: HttpRequest, page: OfficePage) -> HttpResponse:
    office, period = page.office, page.period
    units, staff = evaluated(request, office)
    report = evaluate(office, period, units, staff)
    if request.GET.get("format") == "xlsx" and not page.problem:
        record_export(office=office, by=request.user, what="evaluation.xlsx", rows=len(staff))
        return xlsx_response(evaluation_xlsx(report), f"{office.code}-{period}-evaluation")
    context = {
        "tables": [
            (_("Service units"), table(report, report.units, planned=True), "evaluation-units"),
            (_("Staff"), table(report, report.staff), "evaluation-staff"),
        ],
        "section": "evaluation",
    }
    return page.render(request, "reports/evaluation.html", context)
