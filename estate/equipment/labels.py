"""QR labels for the register (設備標籤): an A4 sheet of 3 × 8 labels (70 × 37 mm, the common
self-adhesive sheet), each with the QR code of the piece's label address and its number, name
and place in the embedded CJK font."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from estate.core.pdf import register_font
from estate.equipment.models import Equipment

COLUMNS, ROWS = 3, 8
PER_PAGE = COLUMNS * ROWS
LABEL_WIDTH, LABEL_HEIGHT = A4[0] / COLUMNS, A4[1] / ROWS
QR_SIZE = 30 * mm
PADDING = 3.5 * mm


def _draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """The code as vector squares (sharp at any printer resolution, no image library needed);
    runs of dark modules in a row are drawn as one rectangle."""
    code = segno.make(text, error="m")
    matrix = [list(row) for row in code.matrix]
    border = 2
    modules = len(matrix) + 2 * border
    cell = size / modules
    for r, row in enumerate(matrix):
        top = y + size - (r + border + 1) * cell
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                canvas.rect(x + (start + border) * cell, top, (c - start) * cell, cell, 0, 1)
            else:
                c += 1


def _lines(text: str, font: str, size: float, width: float, most: int) -> list[str]:
    lines = simpleSplit(text, font, size, width) if text else []
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def labels_pdf(pieces: Iterable[Equipment], address: Callable[[Equipment], str]) -> bytes:
    """The sheet(s) of labels; ``address`` gives the absolute URL a piece's label opens."""
    font = register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle("Equipment labels")
    text_width = LABEL_WIDTH - QR_SIZE - 2 * PADDING - 1 * mm
    drawn = 0
    for piece in pieces:
        if drawn and drawn % PER_PAGE == 0:
            canvas.showPage()
        slot = drawn % PER_PAGE
        column, row = slot % COLUMNS, slot // COLUMNS
        left = column * LABEL_WIDTH
        bottom = A4[1] - (row + 1) * LABEL_HEIGHT
        qr_bottom = bottom + (LABEL_HEIGHT - QR_SIZE) / 2
        _draw_qr(canvas, address(piece), left + PADDING, qr_bottom, QR_SIZE)
        x = left + PADDING + QR_SIZE + 1 * mm
        y = bottom + LABEL_HEIGHT - PADDING - 10
        canvas.setFont(font, 10)
        canvas.drawString(x, y, piece.code[:24])
        y -= 12
        canvas.setFont(font, 8.5)
        for line in _lines(piece.name, font, 8.5, text_width, 2):
            canvas.drawString(x, y, line)
            y -= 10.5
        canvas.setFont(font, 7.5)
        for line in _lines(piece.location, font, 7.5, text_width, 3):
            canvas.drawString(x, y, line)
            y -= 9
        drawn += 1
    if not drawn:
        canvas.setFont(font, 12)
        canvas.drawString(20 * mm, A4[1] - 30 * mm, "—")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
