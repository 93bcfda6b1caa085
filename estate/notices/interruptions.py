"""The only code that writes planned interruptions (停水停電通知), and their telling.

An interruption is told to the main contact of every current household it affects (of its
buildings, or of the whole site) once its ``tell_at`` has come: the scheduler's tick calls
``tell_due_interruptions``, which marks it told by a compare-and-set on ``told_at`` (two
schedulers never both tell) and hands the telling to the worker after commit. The messages are
keyed by the interruption (and its revision), so a task run twice tells nobody twice. One
planned when its ``tell_at`` is already past is told at the next tick.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from estate.language import guard
from estate.language.choices import Channel
from estate.messaging.broadcast import tell_households
from estate.messaging.choices import Kind
from estate.notices.choices import Utility
from estate.notices.models import DEFAULT_TELL_AHEAD, Interruption
from estate.properties.models import Building, Office

LONGEST_TELL_AHEAD = timedelta(days=14)
BATCH = 100
WHOLE_SITE = _("the whole site")
CANCELLED_TEXT = _("It has been cancelled and will not take place.")

# What changes the words households were told; a revision of any of these tells them again.
TOLD_FIELDS = ("what", "starts_at", "ends_at", "text")


def _check(
    *,
    office: Office,
    by: Any,
    what: str,
    buildings: list[Building],
    starts_at: datetime | None,
    ends_at: datetime | None,
    text: str,
    tell_ahead: timedelta | None,
) -> None:
    """Refuse bad input naming each field, then pass the text through the forbidden-phrase
    guard as a notice's (it reaches every household it affects)."""
    errors: dict[str, Any] = {}
    if what not in Utility.values:
        errors["what"] = _("Choose what is interrupted.")
    if any(building.office_id != office.pk for building in buildings):
        errors["buildings"] = _("Choose buildings of this office.")
    if starts_at is None:
        errors["starts_at"] = _("This field is required.")
    if ends_at is None:
        errors["ends_at"] = _("This field is required.")
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    elif ends_at <= timezone.now():
        errors["ends_at"] = _("This interruption would be over already.")
    if not text.strip():
        errors["text"] = _("This field is required.")
    if tell_ahead is None or not timedelta(0) <= tell_ahead <= LONGEST_TELL_AHEAD:
        errors["tell_ahead"] = _("Tell households between 0 and 336 hours (14 days) ahead.")
    if errors:
        raise ValidationError(errors)
    guard.enforce(office=office, by=by, channel=Channel.NOTICE, text=text)


def plan_interruption(
    *,
    office: Office,
    by: Any,
    what: str,
    starts_at: datetime,
    ends_at: datetime,
    text: str,
    buildings: Iterable[Building] = (),
    tell_ahead: timedelta = DEFAULT_TELL_AHEAD,
) -> Interruption:
    """Record a planned interruption; no building chosen means the whole site."""
    chosen = list(buildings)
    _check(
        office=office, by=by, what=what, buildings=chosen, starts_at=starts_at,
        ends_at=ends_at, text=text, tell_ahead=tell_ahead,
    )  # fmt: skip
    with transaction.atomic():
        interruption = Interruption.objects.create(
            office=office,
            what=what,
            starts_at=starts_at,
            ends_at=ends_at,
            text=text.strip(),
            tell_ahead=tell_ahead,
            written_by=by,
        )
        interruption.buildings.set(chosen)
    return interruption


def revise(
    interruption: Interruption,
    *,
    by: Any,
    what: str,
    starts_at: datetime,
    ends_at: datetime,
    text: str,
    buildings: Iterable[Building] = (),
    tell_ahead: timedelta = DEFAULT_TELL_AHEAD,
) -> Interruption:
    """Change an interruption that is not cancelled. Once the households were told, a change
    to what they were told (what, where, when, the words) tells them again: the revision is
    counted, ``told_at`` cleared, and the next tick tells of it under a new key (households
    newly affected hear of it for the first time; a building no longer affected is not told
    of the change, as nobody there would miss it)."""
    if interruption.cancelled_at is not None:
        raise ValidationError(_("A cancelled interruption cannot be changed; plan a new one."))
    chosen = list(buildings)
    _check(
        office=interruption.office, by=by, what=what, buildings=chosen, starts_at=starts_at,
        ends_at=ends_at, text=text, tell_ahead=tell_ahead,
    )  # fmt: skip
    text = text.strip()
    with transaction.atomic():
        current = Interruption.objects.select_for_update().get(pk=interruption.pk)
        if current.cancelled_at is not None:  # cancelled since the form was opened
            raise ValidationError(_("A cancelled interruption cannot be changed; plan a new one."))
        before = [getattr(current, name) for name in TOLD_FIELDS]
        before_buildings = set(current.buildings.values_list("pk", flat=True))
        current.what, current.starts_at, current.ends_at, current.text = (
            what, starts_at, ends_at, text,
        )  # fmt: skip
        current.tell_ahead = tell_ahead
        changed = before != [getattr(current, name) for name in TOLD_FIELDS] or (
            before_buildings != {b.pk for b in chosen}
        )
        fields = ["what", "starts_at", "ends_at", "text", "tell_ahead"]
        if current.told_at is not None and changed:
            current.told_at, current.revision = None, current.revision + 1
            fields += ["told_at", "revision"]
        current.save(update_fields=fields)
        current.buildings.set(chosen)
    return current


def cancel(interruption: Interruption, *, by: Any) -> Interruption:
    """Call the interruption off. Households already told are told it is cancelled (the same
    kind of message, urgent like the first, with words saying so), or they would keep water
    in the bath for nothing; one not told yet is simply never told."""
    with transaction.atomic():
        if not Interruption.objects.filter(pk=interruption.pk, cancelled_at__isnull=True).update(
            cancelled_at=timezone.now(), cancelled_by=by
        ):
            raise ValidationError(_("This interruption is already cancelled."))
        interruption.refresh_from_db()
        if interruption.told_at is not None:
            transaction.on_commit(partial(tell_cancellation.enqueue, interruption.pk))
    return interruption


def tell_due_interruptions(now: datetime | None = None) -> int:
    """Hand the worker each interruption whose time to tell has come (the scheduler's tick):
    marked told first, by a compare-and-set, so each is handed over once however many
    schedulers run; the number handed over."""
    now = now or timezone.now()
    handed = 0
    for pk in Interruption.objects.due_to_be_told(now).values_list("pk", flat=True)[:BATCH]:
        with transaction.atomic():
            marked = Interruption.objects.filter(
                pk=pk, told_at__isnull=True, cancelled_at__isnull=True
            ).update(told_at=now)
            if marked:
                # In the same transaction as the mark (the task queue is a table of the same
                # database): a scheduler that dies here leaves neither, and the next tells it.
                tell_interruption.enqueue(pk)
        handed += marked
    return handed


def where(interruption: Interruption) -> str | Promise:
    """The buildings' names, or "the whole site" (translated in each reader's language)."""
    names = [b.name for b in interruption.buildings.order_by("sort_key", "id")]
    return "、".join(names) if names else WHOLE_SITE


def _local(moment: datetime, office: Office) -> str:
    return moment.astimezone(ZoneInfo(office.timezone)).strftime("%m-%d %H:%M")


def message_values(interruption: Interruption, text: str | Promise = "") -> dict[str, Any]:
    """The INTERRUPTION template's placeholders; what is translatable stays lazy, so that each
    household reads it in its own language."""
    office = interruption.office
    return {
        "what": Utility(interruption.what).label,
        "where": where(interruption),
        "starts": _local(interruption.starts_at, office),
        "ends": _local(interruption.ends_at, office),
        "text": text or interruption.text,
    }


def _building_ids(interruption: Interruption) -> list[int] | None:
    ids = list(interruption.buildings.values_list("pk", flat=True))
    return ids or None


@task()
def tell_interruption(interruption_id: int) -> int:
    """Tell the affected households (the worker's part); the number told now."""
    interruption = Interruption.objects.select_related("office").get(pk=interruption_id)
    return tell_households(
        office=interruption.office,
        kind=Kind.INTERRUPTION,
        key=interruption.message_key,
        values=message_values(interruption),
        building_ids=_building_ids(interruption),
        link=reverse("portal:home"),
    )


@task()
def tell_cancellation(interruption_id: int) -> int:
    """Tell the households who were told that the interruption is cancelled."""
    interruption = Interruption.objects.select_related("office").get(pk=interruption_id)
    return tell_households(
        office=interruption.office,
        kind=Kind.INTERRUPTION,
        key=f"interruption:{interruption.pk}:cancelled",
        values=message_values(interruption, CANCELLED_TEXT),
        building_ids=_building_ids(interruption),
        link=reverse("portal:home"),
    )
