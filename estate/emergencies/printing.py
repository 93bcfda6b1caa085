"""The archived incident report (突發事件處理表) as an A4 PDF with the Chinese font embedded."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, TableStyle

from estate.core.pdf import a4, paragraph, styles, table
from estate.emergencies.models import IncidentReport


def incident_report_pdf(report: IncidentReport) -> bytes:
    style = styles()
    zone = ZoneInfo(report.office.timezone)
    emergency = report.emergency

    def when(value: datetime | None) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""

    rows = [
        (_("Work order"), emergency.work_order.number),
        (_("Category"), emergency.get_category_display()),
        (_("time of the incident"), when(report.occurred_at)),
        (_("place"), report.place),
        (_("what happened"), report.what_happened),
        (_("people involved"), report.people_involved),
        (_("injuries and losses"), report.injuries_and_losses),
        (_("actions taken"), report.actions_taken),
        (_("causes found by investigation"), report.causes),
        (_("lessons and preventive measures"), report.lessons),
        (_("Responders on scene"), "\n".join(
            f"{r.person} ({r.role}): {when(r.on_scene_at) or _('not on scene')}" for r in emergency.responders.all()
        )),
        (_("written by"), str(report.written_by)),
        (_("reviewed by"), f"{report.reviewed_by} {when(report.reviewed_at)}"),
    ]  # fmt: skip
    details = table(
        [[paragraph(label), paragraph(value)] for label, value in rows], [40 * mm, 140 * mm]
    )
    details.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story = [
        paragraph(report.office.name, "heading"),
        Paragraph(_("Incident report"), style["title"]),
        details,
    ]
    return a4(story, title=_("Incident report"), author=report.office.name)
