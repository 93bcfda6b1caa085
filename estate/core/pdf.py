"""PDF building blocks: an embedded Chinese font, paragraph styles, text and tables that flow
onto more pages (reportlab).

Every document's text comes from forms and models, so any of it may be as long as they accept:
text goes into ``paragraph`` (wraps, splits across pages) and tables are built by ``table``,
whose rows split across pages as well. No flowable is ever taller than a page's frame.

The font is embedded as a subset in every document, so any viewer shows the glyphs
without Chinese fonts installed. See docs/decisions/0002-pdf-font.md.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Table, TableStyle

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
FONT = "EstateCJK"


@cache
def register_font() -> str:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
    return FONT


@cache
def styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    # Chinese has no spaces: wordWrap="CJK" lets lines break between any two characters.
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=12),
        "title": ParagraphStyle(
            "title", parent=body, fontSize=18, leading=24, alignment=1, spaceAfter=6
        ),
        "heading": ParagraphStyle(
            "heading", parent=body, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4
        ),
    }


def paragraph(value: object, style: str | ParagraphStyle = "body") -> Paragraph:
    """Any text as a Paragraph: markup escaped, its line breaks kept; it wraps inside its column
    (CJK wrapping breaks long unbroken runs too) and splits across frames and pages."""
    text = escape("" if value is None else str(value))
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return Paragraph(
        lines.replace("\n", "<br/>"),
        style if isinstance(style, ParagraphStyle) else styles()[style],
    )


def table(
    rows: list[list[Any]],
    widths: list[float],
    *,
    repeat_rows: int = 0,
    long: bool = False,
    **options: Any,
) -> Table:
    """A table whose rows may split across pages (``splitInRow``): a cell holding a long
    paragraph flows onto the next page instead of making a row taller than the frame
    (reportlab's LayoutError). Cells with text of any length should be ``paragraph``s: a plain
    string neither wraps nor splits. ``long`` gives a LongTable (many rows)."""
    kind = LongTable if long else Table
    return kind(rows, colWidths=widths, repeatRows=repeat_rows, splitInRow=1, **options)


def sign_boxes(labels: list[str], height: float = 24 * mm) -> Table:
    """Empty boxes across the page, each captioned in its corner, for a stamp or a signature
    by hand (what makes a receipt or an acknowledgement of receipt count)."""
    width = 160 * mm / len(labels)
    boxes = Table(
        [[paragraph(label, "small") for label in labels]],
        colWidths=[width] * len(labels),
        rowHeights=[height],
    )
    boxes.setStyle(
        TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        )
    )
    return boxes


def a4(
    story: list[Any],
    *,
    title: str,
    margin: float = 15,
    side: float | None = None,
    top: float | None = None,
    author: str = "",
) -> bytes:
    """An A4 PDF of ``story``; margins in millimetres (``side`` and ``top`` when they differ)."""
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=(margin if side is None else side) * mm,
        rightMargin=(margin if side is None else side) * mm,
        topMargin=(margin if top is None else top) * mm,
        bottomMargin=margin * mm,
        title=title,
        author=author,
    ).build(story)
    return buffer.getvalue()
