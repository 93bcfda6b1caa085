"""Every write of planned work: saving plans, the scheduler's two sweeps (open what is due, mark
what was not done in time as missed), answering a task's checklist and completing a task.

The sweeps are compare-and-set updates on indexed columns (``Plan.next_due_at``, the task's
status), with the unique constraints on (plan, due time[, piece]) behind them, so any number of
schedulers, or one restarted after downtime, open each occurrence once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from estate.equipment.models import Equipment
from estate.planned.choices import ItemKind, Target, TaskStatus
from estate.planned.models import Plan, PlanItem, PlannedTask, TaskAnswer
from estate.planned.schedule import next_occurrence, validate_schedule
from estate.timerules.clocks import calendars_for
from estate.workorders.choices import EventChannel, Kind
from estate.workorders.models import WorkOrder

BATCH = 500
# Fields a plan form may set; next_due_at and missed_count are the scheduler's.
PLAN_FIELDS = (
    "name",
    "service_unit",
    "target",
    "equipment",
    "equipment_kind",
    "route",
    "frequency",
    "every",
    "times",
    "weekdays",
    "day_of_month",
    "month",
    "working_days_only",
    "window_minutes",
    "starts_on",
    "ends_on",
    "is_active",
)


def _check_target(plan: Plan) -> None:
    errors: dict[str, str] = {}
    if plan.service_unit.office_id != plan.office_id:
        errors["service_unit"] = _("This service unit belongs to another office.")
    if plan.target == Target.EQUIPMENT:
        if plan.equipment is None:
            errors["equipment"] = _("Choose the piece of equipment.")
        elif plan.equipment.office_id != plan.office_id:
            errors["equipment"] = _("This equipment belongs to another office.")
        plan.equipment_kind, plan.route = "", None
    elif plan.target == Target.EQUIPMENT_KIND:
        if not plan.equipment_kind:
            errors["equipment_kind"] = _("Choose the kind of equipment.")
        plan.equipment, plan.route = None, None
    elif plan.target == Target.ROUTE:
        if plan.route is None:
            errors["route"] = _("Choose the patrol route.")
        elif plan.route.office_id != plan.office_id:
            errors["route"] = _("This patrol route belongs to another office.")
        plan.equipment, plan.equipment_kind = None, ""
    else:
        errors["target"] = _("Choose what the plan is on.")
    if errors:
        raise ValidationError(errors)


def _check_items(plan: Plan, items: list[dict[str, Any]]) -> None:
    for number, item in enumerate(items, start=1):
        text = str(item.get("text", "")).strip()
        if not text:
            raise ValidationError({"items": _("Item %(n)d: give its text.") % {"n": number}})
        if item.get("kind") not in ItemKind.values:
            raise ValidationError(
                {"items": _("Item %(n)d: choose how it is answered.") % {"n": number}}
            )
        low, high = item.get("low"), item.get("high")
        if low is not None and high is not None and Decimal(low) > Decimal(high):
            raise ValidationError(
                {
                    "items": _("Item %(n)d (%(text)s): the lowest allowed is above the highest.")
                    % {"n": number, "text": text}
                }
            )
    if plan.target != Target.ROUTE and not items:
        raise ValidationError({"items": _("Give at least one item to check.")})


def save_plan(
    *,
    office: Any,
    by: Any,
    fields: dict[str, Any],
    items: list[dict[str, Any]],
    plan: Plan | None = None,
    now: datetime | None = None,
) -> Plan:
    """Create or edit a plan with its checklist (items replace the old ones), and set when it
    next falls due. ``items``: dicts with text, kind, unit, low, high, in order."""
    now = now or timezone.now()
    calendar = calendars_for([office])[office.pk]
    validate_schedule(
        frequency=fields.get("frequency", ""),
        every=fields.get("every", 1),
        times=fields.get("times", []),
        weekdays=fields.get("weekdays", []),
        day_of_month=fields.get("day_of_month"),
        month=fields.get("month"),
        working_days_only=bool(fields.get("working_days_only")),
        starts_on=fields.get("starts_on"),
        ends_on=fields.get("ends_on"),
        window_minutes=fields.get("window_minutes", 24 * 60),
        calendar=calendar,
    )
    plan = plan or Plan(office=office)
    if plan.office_id != office.pk:
        raise ValidationError({"office": _("This plan belongs to another office.")})
    for name in PLAN_FIELDS:
        if name in fields:
            setattr(plan, name, fields[name])
    _check_target(plan)
    _check_items(plan, items)
    if Plan.objects.filter(office=office, name=plan.name).exclude(pk=plan.pk).exists():
        raise ValidationError({"name": _("Another plan of this office has this name.")})
    with transaction.atomic():
        plan.next_due_at = (
            next_occurrence(plan, now - timedelta(microseconds=1), calendar=calendar)
            if plan.is_active
            else None
        )
        plan.save()
        kept = []
        for position, item in enumerate(items, start=1):
            row, _created = PlanItem.objects.update_or_create(
                plan=plan,
                position=position,
                defaults={
                    "text": str(item["text"]).strip(),
                    "kind": item["kind"],
                    "unit": item.get("unit") or "",
                    "low": item.get("low"),
                    "high": item.get("high"),
                },
            )
            kept.append(row.pk)
        # Items already answered stay (their answers point at them); the rest go.
        stale = plan.items.exclude(pk__in=kept)
        stale.filter(answers__isnull=True).delete()
    return plan


@dataclass
class SweepResult:
    opened: int = 0  # tasks opened
    missed: int = 0  # occurrences counted missed (not opened, or past their window)
    more: bool = False  # a batch was full: sweep again at once


class _Batch:
    """What one sweep's plans share, read once: open tasks, pieces of each kind, calendars."""

    def __init__(self, plans: list[Plan]) -> None:
        self.busy = set(
            PlannedTask.objects.filter(
                plan_id__in=[p.pk for p in plans], status=TaskStatus.OPEN
            ).values_list("plan_id", "equipment_id")
        )
        kinds = {
            (p.office_id, p.equipment_kind) for p in plans if p.target == Target.EQUIPMENT_KIND
        }
        self.pieces: dict[tuple[int, str], list[Equipment]] = {key: [] for key in kinds}
        if kinds:
            found = Equipment.objects.filter(
                office_id__in={o for o, _k in kinds},
                kind__in={k for _o, k in kinds},
                is_active=True,
            ).order_by("pk")
            for piece in found:
                self.pieces.setdefault((piece.office_id, piece.kind), []).append(piece)
        offices = {p.office_id: p.office for p in plans}
        self.calendars = calendars_for(list(offices.values()))
        self.tasks: list[PlannedTask] = []

    def pieces_of(self, plan: Plan) -> list[Equipment | None]:
        if plan.target == Target.EQUIPMENT_KIND:
            return list(self.pieces.get((plan.office_id, plan.equipment_kind), []))
        if plan.target == Target.EQUIPMENT:
            return [plan.equipment]
        return [None]


def _open_for(plan: Plan, now: datetime, batch: _Batch) -> tuple[int, int]:
    """Open the plan's latest occurrence up to ``now`` and move its due time past ``now``;
    (tasks opened, occurrences missed). Done by the scheduler that wins the compare-and-set."""
    assert plan.next_due_at is not None
    calendar = batch.calendars[plan.office_id]
    latest, skipped = plan.next_due_at, 0
    following = next_occurrence(plan, latest, calendar=calendar)
    while following is not None and following <= now:
        latest, skipped = following, skipped + 1
        following = next_occurrence(plan, latest, calendar=calendar)
    pieces = batch.pieces_of(plan)
    free = [p for p in pieces if (plan.pk, p.pk if p else None) not in batch.busy]
    # Older occurrences are counted, not opened; so is the latest for a piece still busy.
    missed = skipped * len(pieces) + (len(pieces) - len(free))
    if not Plan.objects.filter(pk=plan.pk, next_due_at=plan.next_due_at).update(
        next_due_at=following, missed_count=F("missed_count") + missed
    ):
        return 0, 0  # another scheduler moved it first
    window = timedelta(minutes=plan.window_minutes)
    batch.tasks.extend(
        PlannedTask(
            office_id=plan.office_id,
            plan=plan,
            equipment=piece,
            service_unit_id=plan.service_unit_id,
            due_at=latest,
            window_ends_at=latest + window,
            opened_at=now,
        )
        for piece in free
    )
    return len(free), missed


def open_due_tasks(now: datetime | None = None) -> SweepResult:
    """The scheduler's sweep: for each plan due by ``now`` (one indexed query, in batches), open
    one task for its latest occurrence (one per piece for a kind of equipment), count the
    occurrences it slept through, and move its due time past ``now``. A plan whose task is
    still open opens no other: its occurrence is counted missed. A batch is one transaction:
    the due times moved and the tasks opened commit together, or neither."""
    now = now or timezone.now()
    result = SweepResult()
    ids = list(
        Plan.objects.filter(next_due_at__lte=now)
        .order_by("next_due_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    if not ids:
        return result
    with transaction.atomic():
        plans = list(Plan.objects.filter(pk__in=ids).select_related("office", "equipment"))
        batch = _Batch(plans)
        for plan in plans:
            if plan.next_due_at is None or plan.next_due_at > now:
                continue
            opened, missed = _open_for(plan, now, batch)
            result.opened += opened
            result.missed += missed
        PlannedTask.objects.bulk_create(batch.tasks, ignore_conflicts=True, batch_size=1000)
    result.more = len(ids) == BATCH
    return result


def mark_missed(now: datetime | None = None) -> int:
    """The other sweep: open tasks whose window has passed become missed, and their plan counts
    them; how many."""
    now = now or timezone.now()
    ids = list(
        PlannedTask.objects.filter(status=TaskStatus.OPEN, window_ends_at__lt=now)
        .order_by("window_ends_at")
        .values_list("pk", "plan_id")[:BATCH]
    )
    marked = 0
    for pk, plan_id in ids:
        with transaction.atomic():
            if PlannedTask.objects.filter(pk=pk, status=TaskStatus.OPEN).update(
                status=TaskStatus.MISSED
            ):
                Plan.objects.filter(pk=plan_id).update(missed_count=F("missed_count") + 1)
                marked += 1
    return marked


def _number(value: Any, item: PlanItem) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ValidationError(
            {f"item-{item.pk}": _("%(item)s: the reading must be a number.") % {"item": item.text}}
        )
    return number.quantize(Decimal("0.001"))


def _answer(item: PlanItem, given: dict[str, Any]) -> dict[str, Any]:
    """One item's answer, checked: a check needs OK or not, a reading a number, a photo a file."""
    field = f"item-{item.pk}"
    note = str(given.get("note") or "").strip()[:300]
    if item.kind == ItemKind.CHECK:
        ok = given.get("ok")
        if ok not in (True, False):
            raise ValidationError(
                {field: _("%(item)s: answer OK or not OK.") % {"item": item.text}}
            )
        return {"ok": ok, "note": note}
    if item.kind == ItemKind.READING:
        raw = given.get("reading")
        if raw is None or str(raw).strip() == "":
            raise ValidationError({field: _("%(item)s: give the reading.") % {"item": item.text}})
        reading = _number(raw, item)
        inside = (item.low is None or reading >= item.low) and (
            item.high is None or reading <= item.high
        )
        return {"reading": reading, "ok": inside, "note": note}
    if not given.get("photo"):
        raise ValidationError({field: _("%(item)s: take a photo.") % {"item": item.text}})
    return {"photo": given["photo"], "note": note}


def _repair_description(task: PlannedTask, item: PlanItem, answer: dict[str, Any]) -> str:
    if item.kind == ItemKind.READING:
        text = _(
            "Planned task “%(plan)s”, item “%(item)s”: reading %(reading)s %(unit)s is outside %(low)s–%(high)s."
        ) % {
            "plan": task.plan.name,
            "item": item.text,
            "reading": answer["reading"].normalize(),
            "unit": item.unit,
            "low": "" if item.low is None else item.low.normalize(),
            "high": "" if item.high is None else item.high.normalize(),
        }
    else:
        text = _("Planned task “%(plan)s”, item “%(item)s”: not OK.") % {
            "plan": task.plan.name,
            "item": item.text,
        }
    return f"{text} {answer['note']}".strip()


def _open_repair(task: PlannedTask, item: PlanItem, answer: dict[str, Any], by: Any) -> WorkOrder:
    """A repair order for a fault found on a planned task: same office, routed to the plan's
    unit, on the task's piece of equipment."""
    from estate.workorders.actions import open_work_order

    piece = task.equipment
    place = " ".join(p for p in (str(piece), piece.place) if p) if piece else task.plan.name
    return open_work_order(
        office=task.office,
        by=by,
        channel=EventChannel.FIELD,
        kind=Kind.REPAIR,
        description=_repair_description(task, item, answer),
        location=place[:100],
        service_unit=task.service_unit,
        equipment=piece,
    )


def answer_task(
    task: PlannedTask, *, answers: dict[int, dict[str, Any]], by: Any, at: datetime | None = None
) -> PlannedTask:
    """Record the answers to a task's checklist (keyed by item id) and complete it; each not-OK
    check or reading out of range opens a repair order, linked to its answer. All or nothing."""
    at = at or timezone.now()
    items = list(task.plan.items.order_by("position"))
    checked = [(item, _answer(item, answers.get(item.pk, {}))) for item in items]
    with transaction.atomic():
        task = _complete(task, by=by, at=at)
        for item, answer in checked:
            repair = None
            if answer.get("ok") is False:
                repair = _open_repair(task, item, answer, by)
            TaskAnswer.objects.create(
                task=task, item=item, answered_at=at, repair_order=repair, **answer
            )
    return task


def _complete(task: PlannedTask, *, by: Any, at: datetime) -> PlannedTask:
    # A task missed (its window passed) may still be done, late; a done one is not done twice.
    if not PlannedTask.objects.filter(
        pk=task.pk, status__in=(TaskStatus.OPEN, TaskStatus.MISSED)
    ).update(status=TaskStatus.DONE, done_at=at, done_by=by):
        raise ValidationError({"task": _("This task is already done.")})
    task.refresh_from_db()
    return task


def complete_task(task: PlannedTask, *, by: Any, at: datetime | None = None) -> PlannedTask:
    """Complete a task without a checklist (a patrol route walked: called by the patrols app)."""
    at = at or timezone.now()
    if task.plan.items.exists():
        raise ValidationError({"task": _("Answer the checklist to complete this task.")})
    with transaction.atomic():
        return _complete(task, by=by, at=at)
