"""The office's monthly report (月報): the month's figures against their targets, the time rules
missed and why, the long-running matters still open, what residents raised with the answers,
and planned work (by service unit and plan, the equipment that keeps breaking, inspections due).
Written as a PDF (Chinese font embedded) and as a workbook with one sheet per part."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, TableStyle

from estate.core.pdf import a4, paragraph, styles, table
from estate.core.tables import write_xlsx_sheets
from estate.equipment.models import Equipment
from estate.properties.models import Office
from estate.reports import planned_work
from estate.reports.dashboard import OfficeFigures, dashboard
from estate.reports.drill import when
from estate.reports.measures import SECTION_LABELS
from estate.reports.periods import Period
from estate.reports.planned_work import Faults, Share
from estate.reports.wording import counts_text, mark_text, target_text, value_text
from estate.timerules.models import MISSED, Clock
from estate.visits.models import OpinionItem
from estate.workorders.choices import OPEN_STATUSES
from estate.workorders.models import WorkOrder

LONG_RUNNING_DAYS = 7  # open a week or more at the month's end: discussed at the meeting
ROWS = 1000  # per part; a month of one office stays far below


@dataclass
class MonthlyReport:
    office: Office
    period: Period
    figures: OfficeFigures
    breaches: list[Clock]
    long_running: list[WorkOrder]
    items: list[OpinionItem]
    plan_shares: list[Share]
    unit_shares: list[Share]
    faults: list[Faults]
    inspections: list[Equipment]


def long_running(office: Office, moment: datetime) -> QuerySet[WorkOrder]:
    """Orders open at ``moment`` that were opened a week or more before it, oldest first
    (for a past month: still open now, or completed or cancelled only after it)."""
    return (
        WorkOrder.objects.filter(
            office=office, opened_at__lt=moment - timedelta(days=LONG_RUNNING_DAYS)
        )
        .filter(
            Q(status__in=OPEN_STATUSES)
            | Q(completed_at__gt=moment)
            | Q(completed_at__isnull=True, closed_at__gt=moment)
        )
        .select_related("service_unit", "accountable")
        .order_by("opened_at")
    )


def monthly_report(office: Office, period: Period) -> MonthlyReport:
    start, end = period.bounds(office.timezone)
    breaches: QuerySet[Clock] = (
        Clock.objects.filter(MISSED, office=office, started_at__gte=start, started_at__lt=end)
        .select_related(
            "work_order__assignee", "work_order__service_unit", "person", "missed_reason_by"
        )
        .order_by("started_at")
    )
    items = (
        OpinionItem.objects.filter(office=office, raised_at__gte=start, raised_at__lt=end)
        .select_related("visit__household__unit")
        .order_by("raised_at")
    )
    today = timezone.localdate()
    plans, units = planned_work.by_plan_and_unit(office, period)
    return MonthlyReport(
        office=office,
        period=period,
        figures=dashboard([office], period, today=today)[0],
        breaches=list(breaches[:ROWS]),
        long_running=list(long_running(office, min(end, timezone.now()))[:ROWS]),
        items=list(items[:ROWS]),
        plan_shares=plans,
        unit_shares=units,
        faults=planned_work.faults(office, period),
        inspections=list(
            planned_work.overdue_and_due_soon(office, planned_work.as_of(period, today))
            .select_related("building")
            .order_by("next_inspection_on", "code")[:ROWS]
        ),
    )


def _parts(report: MonthlyReport) -> list[tuple[str, list[list[str]]]]:
    """The report's parts as (title, header + rows), shared by the PDF and the workbook."""
    office = report.office
    figures = [[_("Area"), _("Measure"), _("Actual"), _("Counted"), _("Goal"), _("Result")]]
    for figure in report.figures:
        figures.append(
            [
                str(SECTION_LABELS[figure.measure.section]),
                str(figure.measure.label),
                value_text(figure),
                counts_text(figure),
                target_text(figure),
                mark_text(figure),
            ]
        )
    breaches = [[_("Order"), _("Rule"), _("Person"), _("Due"), _("Met at"), _("Why it was missed")]]
    for clock in report.breaches:
        reason = clock.missed_reason or _("no reason given yet")
        if clock.missed_reason_by:
            reason = f"{reason} ({clock.missed_reason_by})"
        breaches.append(
            [
                clock.work_order.number,
                clock.get_rule_display(),
                str(clock.concerns or ""),
                when(clock.due_at, office),
                when(clock.met_at, office),
                reason,
            ]
        )
    long_running = [[_("Order"), _("Opened at"), _("Status"), _("With"), _("What")]]
    for order in report.long_running:
        long_running.append(
            [
                order.number,
                when(order.opened_at, office),
                order.get_status_display(),
                str(order.service_unit or order.accountable or ""),
                order.description[:80],
            ]
        )
    items = [[_("Raised at"), _("Kind"), _("Household"), _("What was said"), _("Answer")]]
    for item in report.items:
        household = item.visit.household
        items.append(
            [
                when(item.raised_at, office),
                item.get_kind_display(),
                str(household.unit) if household else "",
                item.text,
                item.answer or _("not answered yet"),
            ]
        )
    return [
        (_("Figures"), figures),
        (_("Time rules missed"), breaches),
        (_("Open long-running matters"), long_running),
        (_("Residents' items and answers"), items),
        (_("Planned work by service unit"), _shares(_("Service unit"), report.unit_shares)),
        (_("Planned work by plan"), _shares(_("Plan"), report.plan_shares)),
        (_("Equipment that keeps breaking"), _faults(report.faults)),
        (_("Legal inspections overdue or due within 30 days"), _inspections(report)),
    ]


def _shares(name: str, shares: list[Share]) -> list[list[str]]:
    rows = [[name, _("Due"), _("On time"), _("Late"), _("Missed"), _("Result")]]
    for share in shares:
        figure = share.figure
        on_time = value_text(figure)
        if counts := counts_text(figure):
            on_time = f"{on_time} ({counts})"
        rows.append(
            [
                share.name,
                str(share.due),
                on_time,
                str(share.late),
                str(share.missed),
                mark_text(figure),
            ]
        )
    return rows


def _faults(faults: list[Faults]) -> list[list[str]]:
    rows = [[_("Equipment"), _("Faults")]]
    rows += [[f"{piece.code} {piece.name}", str(piece.count)] for piece in faults]
    return rows


def _inspections(report: MonthlyReport) -> list[list[str]]:
    day = planned_work.as_of(report.period, timezone.localdate())
    rows = [[_("Equipment"), _("Kind"), _("Next legal inspection"), _("Result"), _("Contractor")]]
    for piece in report.inspections:
        next_on = piece.next_inspection_on
        assert next_on is not None  # filtered on it
        rows.append(
            [
                str(piece),
                piece.get_kind_display(),
                str(next_on),
                _("overdue") if next_on < day else _("due soon"),
                piece.contractor,
            ]
        )
    return rows


def title_of(report: MonthlyReport) -> str:
    return _("%(office)s monthly report %(month)s") % {
        "office": report.office.name,
        "month": report.period,
    }


def as_xlsx(report: MonthlyReport) -> bytes:
    return write_xlsx_sheets(_parts(report))


WIDTHS = {
    2: [130 * mm, 32 * mm],
    6: [22 * mm, 58 * mm, 22 * mm, 28 * mm, 16 * mm, 16 * mm],
    5: [30 * mm, 34 * mm, 26 * mm, 40 * mm, 32 * mm],
}


def as_pdf(report: MonthlyReport) -> bytes:
    base = styles()
    red = ParagraphStyle("missed", parent=base["small"], textColor=colors.red)
    # Row 0 is the header; the figures' rows follow in the order of report.figures.
    missed_rows = {i + 1 for i, figure in enumerate(report.figures) if figure.met is False}
    story: list[Any] = [
        Paragraph(escape(title_of(report)), base["title"]),
        Paragraph(
            escape(_("Printed %(when)s") % {"when": when(timezone.now(), report.office)}),
            base["small"],
        ),
    ]
    for part, (title, rows) in enumerate(_parts(report)):
        story += [Spacer(1, 4 * mm), Paragraph(escape(title), base["heading"])]
        if len(rows) == 1:
            story.append(Paragraph(escape(_("None this month.")), base["body"]))
            continue
        cells = [
            [
                paragraph(text, red if part == 0 and i in missed_rows else base["small"])
                for text in row
            ]
            for i, row in enumerate(rows)
        ]
        grid = table(cells, WIDTHS[len(rows[0])], repeat_rows=1, long=True)
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(grid)
    return a4(story, title=title_of(report), author=report.office.name)
