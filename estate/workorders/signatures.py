"""The requester's signature, drawn on the phone's screen when the job is completed (住戶簽名).

It comes as a PNG data URL from the completion form's signature pad; it is optional (a requester
who is not there cannot sign). It is checked like an uploaded photo (by its bytes, re-encoded
without metadata, see ``core.uploads``) and kept as an ``Attachment`` of its own kind, so files of
an order are stored and served one way; the printed 服務工作單 draws it on the requester's line.
"""

from __future__ import annotations

import base64
import binascii
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

from estate.core import uploads
from estate.workorders.choices import AttachmentKind
from estate.workorders.models import Attachment, WorkOrder

PREFIX = "data:image/png;base64,"
MAX_SIGNATURE_BYTES = 300 * 1024
# A pad on a phone is a few hundred CSS pixels drawn at up to 3 device pixels each.
MIN_SIDE, MAX_SIDE = 16, 3000
FIELD = "signature"
LABEL = _("Signature")


def _refused(message: object) -> ValidationError:
    return ValidationError({FIELD: message})


def checked_signature(data_url: str | None) -> uploads.Checked | None:
    """The signature as it may be kept, None when none was drawn, or ``ValidationError`` keyed
    ``signature``: not a PNG data URL, larger than 300 KB, or of odd dimensions."""
    data_url = (data_url or "").strip()
    if not data_url:
        return None
    too_big = _("Signature: the drawing is larger than 300 KB; clear it and sign again.")
    if not data_url.startswith(PREFIX):
        raise _refused(_("Signature: it must be drawn on the pad (a PNG picture)."))
    encoded = data_url[len(PREFIX) :]
    if len(encoded) > (MAX_SIGNATURE_BYTES + 2) // 3 * 4:  # before decoding anything
        raise _refused(too_big)
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise _refused(_("Signature: the drawing cannot be read.")) from None
    _check_size(content)
    return uploads.check(
        SimpleUploadedFile("signature.png", content, content_type="image/png"),
        allowed={"png": uploads.PNG},
        field=FIELD,
        label=LABEL,
        refused=_("it must be drawn on the pad (a PNG picture)."),
        max_bytes=MAX_SIGNATURE_BYTES,
        too_big=too_big,
    )


def _check_size(content: bytes) -> None:
    """Refuse odd dimensions from the header, before anything is decoded; what Pillow cannot
    open at all is refused by ``uploads.check`` with its own message."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
    except Exception:  # Pillow raises many kinds for what is not a picture
        return
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise _refused(
            _("Signature: a drawing of %(width)d × %(height)d pixels is not a signature.")
            % {"width": width, "height": height}
        )


def keep_signature(order: WorkOrder, checked: uploads.Checked, *, by: Any) -> Attachment:
    """Store the checked signature with the order (the caller's transaction and timeline step)."""
    attachment = Attachment(
        work_order=order,
        kind=AttachmentKind.SIGNATURE,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=by,
    )
    attachment.file.save(checked.stored_name, checked.as_file(), save=False)
    attachment.save()
    return attachment


def signature_of(order: WorkOrder) -> Attachment | None:
    """The requester's latest signature (a reopened job completed again is signed again)."""
    return (
        order.attachments.filter(kind=AttachmentKind.SIGNATURE)
        .order_by("-uploaded_at", "-id")
        .first()
    )


def signature_png(order: WorkOrder) -> bytes | None:
    """The latest signature's bytes, for the printed order; None when the requester did not sign."""
    signature = signature_of(order)
    if signature is None:
        return None
    with signature.file.open("rb") as file:
        return file.read()
