"""Printed paper of the cashier's office, A4 with the Chinese font embedded: statements (one, or a
building's batch, each starting a page), receipts and arrears reminders."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import cache

from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from estate.billing.models import Payment, Statement
from estate.core.money import grouped, in_capitals
from estate.core.pdf import a4, paragraph, register_font, sign_boxes, styles, table


def _p(text: object, style: str = "body") -> Paragraph:
    return paragraph(text, style)


def _yuan(amount: Decimal) -> str:
    return grouped(amount)


@cache
def _cell_styles() -> tuple[ParagraphStyle, ParagraphStyle]:
    cell = ParagraphStyle("billing-cell", parent=styles()["body"], fontSize=9.5, leading=12)
    return cell, ParagraphStyle("billing-cell-right", parent=cell, alignment=2)


def _grid(rows: list[list[object]], widths: list[float]) -> Table:
    """A grid; its text cells become paragraphs (the last column's right-aligned) so that
    names, addresses and references of any length wrap and split across pages."""
    cell, right = _cell_styles()
    last = len(widths) - 1
    cells = [
        [
            paragraph(value, right if column == last else cell) if isinstance(value, str) else value
            for column, value in enumerate(row)
        ]
        for row in rows
    ]
    grid = table(cells, widths, repeat_rows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), register_font()),
                ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return grid


def statement_story(statement: Statement) -> list[Flowable]:
    lines = list(statement.lines.all())
    rows: list[list[object]] = [[_("Item"), _("Basis"), _("Amount (yuan)")]]
    rows += [
        [_p(line.description, "small"), _p(line.basis, "small"), _yuan(line.amount)]
        for line in lines
    ]
    rows.append(["", _("Total"), _yuan(statement.total)])
    office = statement.office
    return [
        _p(office.name, "small"),
        _p(_("Statement of fees, %(quarter)s") % {"quarter": statement.quarter}, "title"),
        _grid(
            [
                [_("Number"), statement.number, _("Unit"), statement.unit.address],
                [_("Payer"), statement.payer, _("Pay by"), statement.due_on.isoformat()],
            ],
            [22 * mm, 60 * mm, 22 * mm, 56 * mm],
        ),
        Spacer(1, 5 * mm),
        _grid(rows, [45 * mm, 90 * mm, 25 * mm]),
        Spacer(1, 5 * mm),
        _p(
            _(
                "Pay at the office's cashier (cash, bank card, WeChat Pay or Alipay) or by bank "
                "transfer quoting the statement number. Questions: %(phone)s."
            )
            % {"phone": office.phone or office.name}
        ),
    ]


def _document(story: list[Flowable], title: str) -> bytes:
    return a4(story, title=title, margin=18, side=20)


def statements_pdf(statements: Iterable[Statement], title: str) -> bytes:
    """Each statement on a page of its own (a building's batch, or a single one)."""
    story: list[Flowable] = []
    for statement in statements:
        if story:
            story.append(PageBreak())
        story += statement_story(statement)
    if not story:
        story = [_p(_("No statements."))]
    return _document(story, title)


def _capitals(amount: Decimal) -> str:
    """The amount in capitals, in the characters of the language printing (zh-Hans its own)."""
    language = (get_language() or "").lower()
    return in_capitals(amount, simplified=language.startswith(("zh-hans", "zh-cn")))


def receipt_pdf(payment: Payment) -> bytes:
    """The receipt (收據): what was paid for (the statement's fee lines), the amount in figures
    and in capitals (大寫, so that it cannot be altered), and boxes for the office's stamp and
    the cashier's signature, which make the paper a receipt."""
    statement = payment.statement
    lines: list[list[object]] = [[_("Item"), _("Basis"), _("Amount (yuan)")]]
    lines += [
        [_p(line.description, "small"), _p(line.basis, "small"), _yuan(line.amount)]
        for line in statement.lines.all()
    ]
    lines.append(["", _("Statement total"), _yuan(statement.total)])
    story: list[Flowable] = [
        _p(statement.office.name, "small"),
        _p(_("Receipt"), "title"),
        _grid(
            [
                [_("Receipt number"), payment.receipt_number],
                [_("Statement"), f"{statement.number} · {statement.unit.address}"],
                [_("Payer"), statement.payer],
                [_("Amount (yuan)"), _yuan(payment.amount)],
                [_("Amount in capitals"), _capitals(payment.amount)],
                [_("Method"), f"{payment.get_method_display()} {payment.reference}".strip()],
                [
                    _("Received"),
                    f"{timezone.localtime(payment.received_at):%Y-%m-%d %H:%M} · "
                    f"{payment.received_by}",
                ],
                [_("Still owed (yuan)"), _yuan(max(statement.balance, Decimal("0.00")))],
            ],
            [40 * mm, 120 * mm],
        ),
        Spacer(1, 5 * mm),
        _p(_("Fees of the statement"), "heading"),
        _grid(lines, [45 * mm, 90 * mm, 25 * mm]),
        Spacer(1, 8 * mm),
        sign_boxes([pgettext("receipt box", "Stamp"), _("Received by")]),
    ]
    return _document(story, payment.receipt_number)


def reminder_pdf(statements: Iterable[Statement], on: object) -> bytes:
    """A reminder (催繳通知) per statement with money owed, each on a page of its own."""
    story: list[Flowable] = []
    for statement in statements:
        if story:
            story.append(PageBreak())
        story += [
            _p(statement.office.name, "small"),
            _p(_("Reminder"), "title"),
            _p(
                _(
                    "Dear %(payer)s of %(unit)s: our records show %(owed)s yuan still owed on "
                    "statement %(number)s (%(quarter)s), due on %(due)s. If you have paid in the "
                    "meantime, thank you and please ignore this reminder; otherwise please pay at "
                    "the office's cashier. For any question about the amount, call us: we will "
                    "explain every line."
                )
                % {
                    "payer": statement.payer,
                    "unit": statement.unit.address,
                    "owed": _yuan(statement.balance),
                    "number": statement.number,
                    "quarter": statement.quarter,
                    "due": statement.due_on.isoformat(),
                }
            ),
            Spacer(1, 10 * mm),
            _p(f"{statement.office.name}  {on}"),
        ]
    if not story:
        story = [_p(_("No statements."))]
    return _document(story, _("Reminder"))
