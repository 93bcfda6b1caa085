"""The only code that writes notices."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from estate.language import guard
from estate.language.choices import Channel
from estate.messaging.household_events import notice_published
from estate.notices.models import Notice
from estate.properties.models import Office


def _check(
    title: str, body: str, starts_on: date, ends_on: date | None, *, office: Any, by: Any
) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = _("This field is required.")
    if not body.strip():
        errors["body"] = _("This field is required.")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot be before the first.")
    if errors:
        raise ValidationError(errors)
    guard.enforce(office=office, by=by, channel=Channel.NOTICE, title=title, body=body)


def write_notice(
    *, office: Office, by: Any, title: str, body: str, starts_on: date, ends_on: date | None = None
) -> Notice:
    _check(title, body, starts_on, ends_on, office=office, by=by)
    return Notice.objects.create(
        office=office,
        title=title.strip(),
        body=body.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        written_by=by,
    )


def revise_notice(
    notice: Notice, *, title: str, body: str, starts_on: date, ends_on: date | None, by: Any
) -> Notice:
    """Change a notice before it is published; a published one is what residents read and stays as it is."""
    if notice.published_at is not None:
        raise ValidationError(_("A published notice cannot be changed; write a new one."))
    _check(title, body, starts_on, ends_on, office=notice.office_id, by=by)
    notice.title, notice.body, notice.starts_on, notice.ends_on = (
        title.strip(),
        body.strip(),
        starts_on,
        ends_on,
    )
    notice.save(update_fields=["title", "body", "starts_on", "ends_on"])
    return notice


def publish(notice: Notice, *, by: Any) -> Notice:
    """Show the notice to residents; checked again, as the office's list may have grown since."""
    guard.enforce(
        office=notice.office_id, by=by, channel=Channel.NOTICE, title=notice.title, body=notice.body
    )
    if not Notice.objects.filter(pk=notice.pk, published_at__isnull=True).update(
        published_at=timezone.now(), published_by=by
    ):
        raise ValidationError(_("This notice is already published."))
    notice.refresh_from_db()
    notice_published(notice.pk)  # each household is told, by the worker
    return notice
