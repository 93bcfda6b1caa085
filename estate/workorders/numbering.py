"""Order numbers like BSW-20261126-0001: office prefix, the office's local date, a daily sequence."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from estate.properties.models import Office
from estate.workorders.models import DailySequence


def office_today(office: Office) -> date:
    return timezone.now().astimezone(ZoneInfo(office.timezone)).date()


def next_number(office: Office, day: date | None = None) -> str:
    """The next free number for ``office`` on ``day`` (its local today by default).

    Must run inside the transaction that saves the order. The counter row is bumped with
    an UPDATE, which locks it until commit on PostgreSQL and serialises writers on SQLite,
    so two desks opening orders at the same moment never get the same number.
    """
    day = day or office_today(office)
    sequence = DailySequence.objects.filter(office=office, day=day)
    if not sequence.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                DailySequence.objects.create(office=office, day=day, last=1)
        except IntegrityError:
            # Another transaction created today's row first; take the next number from it.
            sequence.update(last=F("last") + 1)
    last = sequence.values_list("last", flat=True).get()
    return f"{office.code}-{day:%Y%m%d}-{last:04d}"
