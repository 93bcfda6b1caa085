"""The printable 服務工作單: an A4 page per order (more when its texts are long), with its times
(received, dispatched, on scene, completed), the materials used, its timeline, lines for the
worker's and the requester's signatures (the requester's drawn when signed on the screen) and
the satisfaction boxes of the five-level scale.

Two copies: the office's, with the requester's number masked, and the assigned worker's
(``full_phone``), who calls ahead; the view decides which one the user may print and records
the full number as seen."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Paragraph, Spacer, Table, TableStyle

from estate.core.pdf import a4, paragraph, register_font, styles, table
from estate.visits.choices import Satisfaction
from estate.workorders.choices import Action
from estate.workorders.models import WorkOrder, WorkOrderEvent

SIGNATURE_HEIGHT = 14 * mm


def _local(value: datetime | None, zone: str) -> str:
    """A time as the office reads it (its own time zone), whoever prints."""
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") if value else ""


def arrived_at(events: list[WorkOrderEvent]) -> datetime | None:
    """When the worker was on scene: orders have no check-in of their own, so the last time work
    started (a reopened order's latest visit); none when the job was completed without a start."""
    starts = [event.at for event in events if event.action == Action.START]
    return starts[-1] if starts else None


def _signed(image: bytes | None, width: float) -> Flowable | str:
    """What stands on a signature line: a captured signature's image, drawn to fit the line,
    or nothing, for a pen."""
    if not image:
        return ""
    return Image(io.BytesIO(image), width=width, height=SIGNATURE_HEIGHT - 2 * mm, kind="bound")


def _times(order: WorkOrder, events: list[WorkOrderEvent], zone: str) -> Table:
    """The four times of the job, side by side: received (opened), dispatched, on scene,
    completed; left blank until they happen."""
    labels = [
        _("Opened at"),
        capfirst(_("dispatched at")),  # the field's own name, translated already
        _("On scene at"),
        _("Completed at"),
    ]
    times = [order.opened_at, order.dispatched_at, arrived_at(events), order.completed_at]
    grid = table(
        [[paragraph(label) for label in labels], [paragraph(_local(at, zone)) for at in times]],
        [45 * mm] * 4,
    )
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    return grid


def _materials(order: WorkOrder) -> list[Flowable]:
    """The materials used, line by line from the office's list (none: nothing is printed, the
    free-text cell above stays the place for them)."""
    lines = list(order.material_uses.select_related("material"))
    if not lines:
        return []
    rows = [
        [
            paragraph(_("Material")),
            paragraph(_("Quantity")),
            paragraph(_("Unit of measure")),
            paragraph(_("Unit price (yuan)")),
            paragraph(_("Amount (yuan)")),
        ]
    ]
    for line in lines:
        price = line.material.unit_price
        amount = line.amount
        rows.append(
            [
                paragraph(line.material.name),
                paragraph(f"{line.quantity.normalize():f}"),
                paragraph(line.material.unit),
                paragraph("" if price is None else f"{price}"),
                paragraph("" if amount is None else f"{amount}"),
            ]
        )
    grid = table(rows, [70 * mm, 25 * mm, 25 * mm, 30 * mm, 30 * mm], repeat_rows=1)
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [Paragraph(_("Materials used"), styles()["heading"]), grid]


def _sign_off(worker_signature: bytes | None, requester_signature: bytes | None) -> Table:
    """Signature lines for the worker and the requester, and the requester's satisfaction on the
    scale return visits use (5 very satisfied … 1 very dissatisfied), a box to tick for each."""
    line = 58 * mm
    levels = "  ".join(f"□ {label}" for label in Satisfaction.labels)
    sign_off = Table(
        [
            [
                paragraph(_("Worker's signature")),
                _signed(worker_signature, line),
                paragraph(_("Requester's signature")),
                _signed(requester_signature, line),
            ],
            [paragraph(_("Satisfied?")), paragraph(levels), "", ""],
        ],
        colWidths=[32 * mm, line, 32 * mm, line],
        rowHeights=[SIGNATURE_HEIGHT, 10 * mm],
    )
    sign_off.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("SPAN", (1, 1), (3, 1)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return sign_off


def work_order_pdf(
    order: WorkOrder,
    *,
    full_phone: bool = False,
    worker_signature: bytes | None = None,
    requester_signature: bytes | None = None,
) -> bytes:
    """The order on paper. ``full_phone``: the assigned worker's copy, with the requester's
    whole number; otherwise the office's copy, masked. The signatures (PNG or JPEG bytes) are
    drawn on their lines when given (the view passes the requester's, captured at completion);
    otherwise the lines are left for a pen."""
    font = register_font()
    style = styles()
    zone = order.office.timezone
    events = list(order.events.select_related("actor"))
    copy = _("Worker's copy") if full_phone else _("Office copy")
    phone = order.requester_phone if full_phone else order.masked_requester_phone
    story: list[Flowable] = [
        paragraph(order.office.name, "heading"),
        Paragraph(_("Service work order"), style["title"]),
        paragraph(f"{_('Number')}: {order.number}    {copy}"),
        Spacer(1, 4 * mm),
    ]
    rows = [
        [_("Kind"), order.get_kind_display(), _("Priority"), order.get_priority_display()],
        [_("Place"), order.place, _("Status"), order.get_status_display()],
        [_("Requester"), order.requester_name, _("Phone"), phone],
        [_("Service unit"), str(order.service_unit or ""), _("Person"), str(order.assignee or "")],
        [
            _("First receiver"),
            str(order.accountable),
            _("Promised time"),
            f"{_local(order.promised_at, zone)} {order.promise_reason}".strip(),
        ],
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
    story += [details, Spacer(1, 4 * mm), _times(order, events, zone)]
    story += _materials(order)
    story.append(Paragraph(_("Timeline"), style["heading"]))
    timeline = [
        [paragraph(_("Time")), paragraph(_("Step")), paragraph(_("By")), paragraph(_("Note"))]
    ]
    for event in events:
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
    story += [log, Spacer(1, 8 * mm), _sign_off(worker_signature, requester_signature)]
    return a4(story, title=f"{_('Service work order')} {order.number}", author=order.office.name)
