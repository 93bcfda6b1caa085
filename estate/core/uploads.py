"""Uploaded files, decided by their bytes, kept under generated names and handed back safely.

The type comes from the content (the ``filetype`` library), never from the name or the browser's
claim, and must be on the allow-list of the kind of upload; the name's extension must agree with
it. Pictures are opened with Pillow, refused above a pixel limit (read from the header, before any
decoding) and re-encoded, so metadata such as GPS EXIF is not kept. HTML, SVG, scripts and anything
unrecognised are refused.
"""

from __future__ import annotations

import dataclasses
import io
import uuid
import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

try:  # HEIC is read only with the plugin; without it a HEIC photo is refused as unreadable.
    from pillow_heif import register_heif_opener
except ImportError:  # pragma: no cover - not a dependency
    pass
else:  # pragma: no cover
    register_heif_opener()

# A photo of a leaking pipe needs far less; a 20000×20000 "bomb" is ten times more.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class FileType:
    extension: str  # the one the stored file gets
    content_type: str
    names: frozenset[str]  # the extensions an uploaded name may have
    pillow: str = ""  # Pillow's format name, for pictures


JPEG = FileType("jpg", "image/jpeg", frozenset({"jpg", "jpeg", "jpe", "jfif"}), "JPEG")
PNG = FileType("png", "image/png", frozenset({"png"}), "PNG")
GIF = FileType("gif", "image/gif", frozenset({"gif"}), "GIF")
WEBP = FileType("webp", "image/webp", frozenset({"webp"}), "WEBP")
HEIC = FileType("heic", "image/heic", frozenset({"heic", "heif"}), "HEIF")
PDF = FileType("pdf", "application/pdf", frozenset({"pdf"}))
DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    frozenset({"docx"}),
)
XLSX = FileType(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", frozenset({"xlsx"})
)
PPTX = FileType(
    "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    frozenset({"pptx"}),
)
DOC = FileType("doc", "application/msword", frozenset({"doc"}))
XLS = FileType("xls", "application/vnd.ms-excel", frozenset({"xls"}))

# The allow-lists, keyed by the extension ``filetype`` reports for the bytes.
PHOTOS: Mapping[str, FileType] = {
    "jpg": JPEG,
    "png": PNG,
    "gif": GIF,
    "webp": WEBP,
    "heic": HEIC,
}
DOCUMENTS: Mapping[str, FileType] = {
    **PHOTOS,
    "pdf": PDF,
    "docx": DOCX,
    "xlsx": XLSX,
    "pptx": PPTX,
    "doc": DOC,
    "xls": XLS,
}
PICTURES = frozenset({JPEG, PNG, GIF, WEBP, HEIC})
ZIPPED = frozenset({DOCX, XLSX, PPTX})
DOCUMENT_TYPES = frozenset(t.content_type for t in DOCUMENTS.values())
# Served inline (shown in the browser) once their bytes were checked; everything else downloads.
INLINE = frozenset(t.content_type for t in (*PICTURES, PDF))
# Markup that must not hide behind a PDF's first bytes.
_MARKUP = (b"<html", b"<!doctype", b"<script", b"<svg", b"<body", b"<iframe", b"<?xml")


@dataclass(frozen=True)
class Checked:
    """An accepted upload: the bytes to keep, their type, a generated name and the display name."""

    content: bytes
    type: FileType
    display_name: str
    token: str = dataclasses.field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def stored_name(self) -> str:
        """A generated name: nothing of the uploaded one reaches the file system."""
        return f"{self.token}.{self.type.extension}"

    @property
    def content_type(self) -> str:
        return self.type.content_type

    @property
    def size(self) -> int:
        return len(self.content)

    def as_file(self) -> ContentFile:
        return ContentFile(self.content)


def _refuse(field: str, message: Any) -> ValidationError:
    return ValidationError({field: message})


def check(
    upload: Any,
    *,
    allowed: Mapping[str, FileType],
    field: str,
    label: Any,
    refused: Any,
    max_bytes: int,
    too_big: Any,
) -> Checked:
    """The upload as it may be kept, or ``ValidationError`` keyed by ``field`` (``label`` names it
    in the message; ``refused`` says what may be uploaded)."""
    if upload.size > max_bytes:
        raise _refuse(field, too_big)
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise _refuse(field, too_big)
    guessed = filetype.guess(data) if data else None
    kind = allowed.get(guessed.extension) if guessed else None
    if kind is None:
        raise _refuse(field, _("%(field)s: %(refused)s") % {"field": label, "refused": refused})
    name = str(upload.name or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in kind.names:
        raise _refuse(
            field,
            _("%(field)s: the name ends in “.%(extension)s” but the file is %(type)s.")
            % {"field": label, "extension": extension, "type": kind.extension.upper()},
        )
    if kind in PICTURES:
        data, kind = _reencode(data, kind, field=field, label=label)
    elif kind is PDF:
        tail = data[-1024:]
        head = data[:1024].lower()
        if b"%%EOF" not in tail or any(mark in head for mark in _MARKUP):
            raise _refuse(field, _("%(field)s: %(refused)s") % {"field": label, "refused": refused})
    elif kind in ZIPPED:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                ok = "[Content_Types].xml" in archive.namelist()
        except (zipfile.BadZipFile, ValueError):
            ok = False
        if not ok:
            raise _refuse(field, _("%(field)s: %(refused)s") % {"field": label, "refused": refused})
    display = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or f"file.{kind.extension}"
    return Checked(content=data, type=kind, display_name=display)


def _reencode(data: bytes, kind: FileType, *, field: str, label: Any) -> tuple[bytes, FileType]:
    """The picture drawn afresh without its metadata; refused when too many pixels or unreadable."""
    unreadable = _refuse(field, _("%(field)s: the picture cannot be read.") % {"field": label})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise _refuse(
                        field,
                        _("%(field)s: the picture has too many pixels (at most %(count)d million).")
                        % {"field": label, "count": MAX_PIXELS // 1_000_000},
                    )
                if image.format != kind.pillow:
                    raise unreadable
                image.seek(0)  # the first frame of an animation
                image.load()
                drawn = ImageOps.exif_transpose(image)
                transparency = drawn.info.get("transparency")
                clean = drawn.copy()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _refuse(
            field,
            _("%(field)s: the picture has too many pixels (at most %(count)d million).")
            % {"field": label, "count": MAX_PIXELS // 1_000_000},
        ) from error
    except Exception as error:  # Pillow raises many kinds for a broken or unsupported file
        raise unreadable from error
    clean.info = {} if transparency is None else {"transparency": transparency}
    out = io.BytesIO()
    target = kind.pillow if kind.pillow in Image.SAVE else "JPEG"
    if target == "JPEG" and clean.mode not in ("RGB", "L", "CMYK"):
        clean = clean.convert("RGB")
    try:
        clean.save(out, format=target)
    except (OSError, ValueError):
        out, target = io.BytesIO(), "JPEG"
        clean.convert("RGB").save(out, format=target)
    return out.getvalue(), (kind if target == kind.pillow else JPEG)


def serve(file: Any, *, content_type: str, display_name: str) -> FileResponse:
    """A stored upload for the browser: pictures and PDFs whose bytes were checked inline, the rest
    as a download; never sniffed, never scripted, never cached."""
    inline = content_type in INLINE
    response = FileResponse(
        file.open("rb"),
        as_attachment=not inline,
        filename=display_name,
        content_type=content_type if content_type in DOCUMENT_TYPES else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
