"""Photos a resident chose for a report that was sent back (a field missing, a wrong place):
kept, so that the common slip does not make them choose the photo again on a phone.

A photo that passes the same check as on the order (its bytes, re-encoded without metadata) is
stored under a generated name in ``pending/`` of the media storage, and its name is kept in the
resident's session: only the session that chose a photo can use it, a token from anywhere else
is ignored. The next submit of the form sends the tokens back (a hidden field) and the photos
are attached like fresh uploads; once the report is saved they are deleted. A photo that fails
the check is not kept: the form's error says why, and the resident chooses another. A photo
left behind by a resident who gave up stays in ``pending/``; nothing but a session refers to
it, so anything there older than a day may be deleted.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest

from estate.frontdesk.actions import MAX_PHOTOS
from estate.workorders import photos as order_photos

SESSION_KEY = "portal_pending_photos"
FOLDER = "pending"


def tokens_sent(request: HttpRequest) -> list[str]:
    """The tokens of kept photos a form was sent back with (the hidden field ``kept_photos``)."""
    value = request.POST.get("kept_photos", "")
    return [token for token in value.split() if token.isalnum()][:MAX_PHOTOS]


def _kept(request: HttpRequest) -> dict[str, dict[str, str]]:
    return dict(request.session.get(SESSION_KEY, {}))


def keep(request: HttpRequest, uploads: list[Any]) -> list[str]:
    """Store the uploads that are photos; the tokens that name them in this session."""
    kept = _kept(request)
    tokens = []
    for upload in uploads[:MAX_PHOTOS]:
        try:
            checked = order_photos.checked_photo(upload)
        except ValidationError:
            continue  # the form says what is wrong with it
        path = default_storage.save(f"{FOLDER}/{checked.stored_name}", checked.as_file())
        name = checked.display_name
        if name.rsplit(".", 1)[-1].lower() not in checked.type.names:
            # Re-encoded to another type (HEIC to JPEG): the name says what the bytes are now.
            name = f"{name.rsplit('.', 1)[0]}.{checked.type.extension}"
        kept[checked.token] = {
            "path": path,
            "name": name[:200],
            "type": checked.content_type,
        }
        tokens.append(checked.token)
    request.session[SESSION_KEY] = kept
    return tokens


def names(request: HttpRequest, tokens: list[str]) -> list[tuple[str, str]]:
    """(token, file name) of the kept photos among ``tokens``, to show on the form."""
    kept = _kept(request)
    return [(token, kept[token]["name"]) for token in tokens if token in kept]


def take(request: HttpRequest, tokens: list[str]) -> list[SimpleUploadedFile]:
    """The kept photos named by ``tokens`` as uploads (unknown tokens are ignored)."""
    kept = _kept(request)
    found = []
    for token in tokens:
        entry = kept.get(token)
        if entry is None or not default_storage.exists(entry["path"]):
            continue
        with default_storage.open(entry["path"], "rb") as stored:
            found.append(SimpleUploadedFile(entry["name"], stored.read(), entry["type"]))
    return found


def forget(request: HttpRequest, tokens: list[str]) -> None:
    """Delete the kept photos once they are on the order (or no longer wanted)."""
    kept = _kept(request)
    for token in tokens:
        entry = kept.pop(token, None)
        if entry is not None:
            default_storage.delete(entry["path"])
    request.session[SESSION_KEY] = kept


KEPT_FOR = timedelta(days=1)


def forget_old(now: datetime) -> int:
    """Delete photos kept for a report that was never sent again (the scheduler's tidy-up)."""
    try:
        _folders, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        if default_storage.get_modified_time(path) < now - KEPT_FOR:
            default_storage.delete(path)
            deleted += 1
    return deleted
