"""Real files for upload tests, made here: pictures with Pillow, a PDF with reportlab."""

from __future__ import annotations

import io

from PIL import Image
from reportlab.pdfgen import canvas


def picture(fmt: str = "PNG", size: tuple[int, int] = (8, 8), exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 40, 40))
    if exif is None:
        image.save(out, format=fmt)
    else:
        image.save(out, format=fmt, exif=exif)
    return out.getvalue()


PNG = picture("PNG")
JPEG = picture("JPEG")


def gps_exif() -> bytes:
    """EXIF naming a camera and where the picture was taken."""
    exif = Image.Exif()
    exif[0x010F] = "Phone Maker"  # Make
    exif[0x8825] = {1: "N", 2: (22.0, 33.0, 44.0), 3: "E", 4: (114.0, 10.0, 5.0)}  # GPS IFD
    return exif.tobytes()


def bomb_png() -> bytes:
    """A few KB of PNG that claims 20000×20000 pixels (400 million once decoded)."""
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Renovation rules")
    page.showPage()
    page.save()
    return out.getvalue()


PDF = pdf()
HTML_AS_PDF = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
SCRIPT = b"<script>alert(document.cookie)</script>"
