"""Photos on a work order: checked by their bytes, re-encoded without metadata, kept under a
generated name, and written on the timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from estate.core import uploads
from estate.workorders.choices import Action
from estate.workorders.models import Attachment, WorkOrder
from estate.workorders.transitions import transition

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def checked_photo(upload: Any, *, field: str = "file") -> uploads.Checked:
    """The photo as it may be kept (decided by its bytes, re-encoded without metadata), or
    ``ValidationError`` keyed by ``field``."""
    return uploads.check(
        upload,
        allowed=uploads.PHOTOS,
        field=field,
        label=_("Photo"),
        refused=_("only photos can be attached (JPEG, PNG, GIF, WebP or HEIC)."),
        max_bytes=MAX_ATTACHMENT_BYTES,
        too_big=_("The photo is larger than 10 MB."),
    )


def check_photo(upload: Any) -> Any:
    """What is wrong with an upload meant as a photo (a message), or None."""
    try:
        checked_photo(upload)
    except ValidationError as error:
        return error.messages[0]
    return None


def attach_photo(
    order: WorkOrder, *, upload: Any, by: Any, channel: str, at: datetime | None = None
) -> Attachment:
    """Attach a photo (JPEG, PNG, GIF, WebP or HEIC, at most 10 MB), kept under a generated name
    (``at``: when it was taken, for one queued on a phone without signal)."""
    return _attach(order, checked_photo(upload), by=by, channel=channel, at=at)


def attach_file(order: WorkOrder, *, upload: Any, by: Any, channel: str) -> Attachment:
    """Attach what came with an email: a photo, a PDF or an Office document (at most 10 MB)."""
    checked = uploads.check(
        upload,
        allowed=uploads.DOCUMENTS,
        field="attachments",
        label=_("Attachment"),
        refused=_("only photos, PDF and Office documents are kept."),
        max_bytes=MAX_ATTACHMENT_BYTES,
        too_big=_("The file is larger than 10 MB."),
    )
    return _attach(order, checked, by=by, channel=channel)


def _attach(
    order: WorkOrder,
    checked: uploads.Checked,
    *,
    by: Any,
    channel: str,
    at: datetime | None = None,
) -> Attachment:
    with transaction.atomic():
        attachment = Attachment(
            work_order=order,
            original_name=checked.display_name[:200],
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=by,
        )
        attachment.file.save(checked.stored_name, checked.as_file(), save=False)
        attachment.save()
        transition(
            order, Action.ATTACH, by=by, channel=channel, note=attachment.original_name, at=at
        )
    return attachment
