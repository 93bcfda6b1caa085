"""Telling many households at once (a notice, a planned interruption, the quarter's bills): one
message to each household's main contact, written by the worker, not in the request that
published (each topic has its task, which calls ``tell_households``). Each message's key names the event, so a household is told of it once however often
the task runs (a retry after a crash tells only those not told yet)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from estate.messaging.actions import Recipient, tell
from estate.properties.models import Household, Office, Resident

BATCH = 500


def main_contacts(household_ids: Iterable[int]) -> dict[int, Resident]:
    """household id → the person told for it: its main contact, else its first resident."""
    contacts: dict[int, Resident] = {}
    for resident in Resident.objects.filter(household_id__in=list(household_ids)).order_by(
        "household_id", "-is_primary", "id"
    ):
        assert resident.household_id is not None
        contacts.setdefault(resident.household_id, resident)
    return contacts


def households_of(
    office: Office, building_ids: Iterable[int] | None = None, on: date | None = None
) -> QuerySet[Household]:
    """The office's current households, of the given buildings or of the whole site."""
    found = Household.objects.current(on or timezone.localdate()).filter(office=office)
    if building_ids is not None:
        found = found.filter(unit__building_id__in=list(building_ids))
    return found.order_by("id")


def in_batches(households: QuerySet[Household]) -> Iterator[dict[int, Resident]]:
    ids = list(households.values_list("id", flat=True))
    for start in range(0, len(ids), BATCH):
        yield main_contacts(ids[start : start + BATCH])


def tell_households(
    *,
    office: Office,
    kind: str,
    key: str,
    values: Mapping[str, Any],
    building_ids: Iterable[int] | None = None,
    link: str = "",
) -> int:
    """Tell the main contact of each current household (of ``building_ids``, or all) the same
    news; the number told now (those told of ``key`` before are not told again)."""
    told = 0
    for contacts in in_batches(households_of(office, building_ids)):
        for resident in contacts.values():
            message = tell(
                office=office,
                kind=kind,
                to=Recipient(resident=resident),
                values=values,
                key=key,
                link=link,
            )
            told += message is not None
    return told

