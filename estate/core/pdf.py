"""PDF building blocks: an embedded Chinese font and paragraph styles (reportlab).

The font is embedded as a subset in every document, so any viewer shows the glyphs
without Chinese fonts installed. See docs/decisions/0002-pdf-font.md.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import SimpleDocTemplate

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
