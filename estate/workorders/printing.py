"""The printable 服務工作單: an A4 page per order (more when its texts are long), with its timeline and a box for the requester's signature."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from estate.core.pdf import a4, paragraph, register_font, styles, table
from estate.workorders.models import WorkOrder


def _local(value: datetime | None, zone: str) -> str:
    """A time as the office reads it (its own time zone), whoever prints."""
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") if value else ""


def work_order_pdf(order: WorkOrder) -> bytes:
    font = register_font()
    style = styles()
    zone = order.office.timezone
    story = [
        paragraph(order.office.name, "heading"),
        Paragraph(_("Service work order"), style["title"]),
        paragraph(f"{_('Number')}: {order.number}"),
        Spacer(1, 4 * mm),
    ]
    rows = [
        [_("Kind"), order.get_kind_display(), _("Priority"), order.get_priority_display()],
        [_("Place"), order.place, _("Status"), order.get_status_display()],
        [_("Requester"), order.requester_name, _("Phone"), order.masked_requester_phone],
        [
            _("Opened at"),
            _local(order.opened_at, zone),
            _("First receiver"),
            str(order.accountable),
        ],
        [_("Service unit"), str(order.service_unit or ""), _("Person"), str(order.assignee or "")],
        [_("Promised time"), _local(order.promised_at, zone), _("Reason"), order.promise_reason],
    ]
    grid = [[paragraph(cell) for cell in row] for row in rows]
    grid.append([paragraph(_("Description")), paragraph(order.description), "", ""])
    grid.append(
        [
            paragraph(_("Work done")),
            paragraph(order.work_done),
            paragraph(_("Materials used")),
            paragraph(order.materials_used),
        ]
    )
    details = table(grid, [28 * mm, 62 * mm, 28 * mm, 62 * mm])
    details.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                ("BACKGROUND", (2, 0), (2, -3), colors.whitesmoke),
                ("SPAN", (1, len(rows)), (3, len(rows))),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [details, Paragraph(_("Timeline"), style["heading"])]
    timeline = [
        [paragraph(_("Time")), paragraph(_("Step")), paragraph(_("By")), paragraph(_("Note"))]
    ]
    for event in order.events.select_related("actor"):
        timeline.append(
            [
                paragraph(_local(event.at, zone)),
                paragraph(event.get_action_display()),
                paragraph(event.actor or ""),
                paragraph(event.note),
            ]
        )
    log = table(timeline, [32 * mm, 34 * mm, 28 * mm, 86 * mm], repeat_rows=1)
    log.setStyle(
        TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        )
    )
    story += [log, Spacer(1, 8 * mm)]
    signature = Table(
        [
            [
                paragraph(_("Requester's signature")),
                "",
                paragraph(_("Satisfied?")),
                paragraph("□ 滿意  □ 基本滿意  □ 不滿意"),
            ]
        ],
        colWidths=[32 * mm, 58 * mm, 28 * mm, 62 * mm],
        rowHeights=[14 * mm],
    )
    signature.setStyle(
        TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        )
    )
    story.append(signature)
    return a4(story, title=f"{_('Service work order')} {order.number}", author=order.office.name)
