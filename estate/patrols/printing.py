"""The QR labels of a route's check points (巡更點標籤), on A4: each label carries the point's
order and name, its QR code and, under it, the address the code opens (so a label stays usable
when typed by hand)."""

from __future__ import annotations

from collections.abc import Callable

import segno
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from estate.core.pdf import a4, paragraph, styles
from estate.patrols.models import CheckPoint, PatrolRoute

LABEL_WIDTH = 85 * mm
QR_SIZE = 45 * mm


class QRCode(Flowable):
    """A QR code drawn as vector squares (sharp at any print size), quiet zone included."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.matrix = segno.make(data, error="m").matrix
        self.size = size

    def wrap(self, *_args: object) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        border = 4  # modules of quiet zone, as the standard asks
        count = len(self.matrix) + 2 * border
        module = self.size / count
        canvas = self.canv
        canvas.setFillColorRGB(0, 0, 0)
        for row, line in enumerate(self.matrix):
            for column, dark in enumerate(line):
                if dark:
                    canvas.rect(
                        (column + border) * module,
                        self.size - (row + border + 1) * module,
                        module,
                        module,
                        stroke=0,
                        fill=1,
                    )


def _label(route: PatrolRoute, point: CheckPoint, address: str) -> list[object]:
    return [
        paragraph(f"{point.position}. {point.name}", "heading"),
        paragraph(route.name, "small"),
        QRCode(address, QR_SIZE),
        paragraph(address, "small"),
    ]


def labels_pdf(route: PatrolRoute, url_of: Callable[[CheckPoint], str]) -> bytes:
    """Two labels a row, in the route's order; ``url_of`` gives a point's full address."""
    cells = [_label(route, point, url_of(point)) for point in route.points.order_by("position")]
    if not cells:
        story: list[object] = [paragraph(_("This route has no check points yet."))]
    else:
        rows = [
            cells[i : i + 2] + [""] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)
        ]
        grid = Table(rows, colWidths=[LABEL_WIDTH, LABEL_WIDTH])
        grid.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 0.25, "#999999"),
                    ("INNERGRID", (0, 0), (-1, -1), 0.25, "#999999"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                    ("TOPPADDING", (0, 0), (-1, -1), 4 * mm),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm),
                ]
            )
        )
        story = [
            paragraph(_("Check point labels: %(route)s") % {"route": route.name}, "title"),
            grid,
        ]
    styles()  # the CJK font, registered before the document is built
    return a4(story, title=route.name, margin=12)
