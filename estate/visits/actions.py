"""The only code that writes return visits: planning them, recording them, answering what was raised."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from estate.accounts.people import people_with_role
from estate.accounts.roles import Role
from estate.language import guard
from estate.language.choices import Channel as LanguageChannel
from estate.properties.models import Household, Office
from estate.timerules import clocks
from estate.timerules.calendar import same_day_due
from estate.timerules.choices import Rule
from estate.visits.choices import (
    MAX_ATTEMPTS,
    SURVEY_HOUSEHOLDS,
    ItemKind,
    Satisfaction,
    VisitChannel,
    VisitKind,
    VisitStatus,
)
from estate.visits.models import OpinionItem, ReturnVisit, SurveyPlan
from estate.workorders.choices import ComplaintType, EventChannel, Kind, ReplyChannel, Status
from estate.workorders.models import WorkOrder


def plan_after_completion(order: WorkOrder, at: datetime) -> ReturnVisit:
    """A completed job gets a return call the same day by a receptionist (R-A4.3); a complaint gets its
    return visit (100 %), by the head when it was major (R-A4.0). Called once per completion."""
    office = order.office
    if order.kind == Kind.COMPLAINT:
        major = order.is_important or order.complaint_type == ComplaintType.ATTITUDE
        people = people_with_role(office, Role.HEAD if major else Role.MANAGER) or people_with_role(
            office, Role.HEAD
        )
        kind = VisitKind.COMPLAINT
    else:
        people = people_with_role(office, Role.RECEPTIONIST)
        kind = VisitKind.ORDER
    # Never someone who did the job or whom it is about; the head when all of them did.
    independent = [p for p in people if not worked_on(order, p)] or [
        p for p in people_with_role(office, Role.HEAD) if not worked_on(order, p)
    ]
    if order.accountable in independent or not independent:
        assignee = order.accountable
    else:
        assignee = independent[0]
    due = clocks.provisionally(
        office,
        lambda calendar: same_day_due(
            at, zone=ZoneInfo(office.timezone), closes_at=office.closes_at, calendar=calendar
        ),
    )
    visit, _created = ReturnVisit.objects.get_or_create(
        work_order=order,
        kind=kind,
        defaults={
            "office": office,
            "household": order.requester.household if order.requester else None,
            "assigned_to": assignee,
            "due_at": due,
        },
    )
    if not _created and visit.status != VisitStatus.OPEN:
        # Reopened and completed again: visit again.
        ReturnVisit.objects.filter(pk=visit.pk).update(
            status=VisitStatus.OPEN, attempts=0, due_at=due, score=None, visited_at=None, channel=""
        )
        visit.refresh_from_db()
    return visit


def plan_month(*, office: Office, month: date, by: Any) -> SurveyPlan:
    """The month's household survey: at least 20 distinct households, spread across buildings, none visited
    in the last three months, shared among managers, receptionists and team leads. Re-running changes nothing."""
    month = month.replace(day=1)
    zone = ZoneInfo(office.timezone)
    start = datetime.combine(month, time.min, tzinfo=zone)
    with transaction.atomic():
        plan, created = SurveyPlan.objects.get_or_create(
            office=office, month=month, defaults={"created_by": by}
        )
        if not created:
            return plan
        recent = ReturnVisit.objects.filter(
            office=office, visited_at__gte=start - timedelta(days=91)
        ).values("household_id")
        households = list(
            Household.objects.current(month)
            .filter(office=office)
            .exclude(id__in=recent)
            .select_related("unit__building")
            .order_by("id")
        )
        chosen = _spread(households, SURVEY_HOUSEHOLDS, random.Random(f"{office.pk}-{month:%Y%m}"))
        staff = [
            person
            for role in (Role.MANAGER, Role.RECEPTIONIST, Role.TEAM_LEAD)
            for person in people_with_role(office, role)
        ]
        if not staff:
            raise ValidationError(
                _("The office has no managers, receptionists or team leads to do the visits.")
            )
        last_day = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        due = datetime.combine(last_day, time(23, 59, 59), tzinfo=zone)
        ReturnVisit.objects.bulk_create(
            ReturnVisit(
                office=office,
                kind=VisitKind.SURVEY,
                household=household,
                plan=plan,
                assigned_to=staff[index % len(staff)],
                due_at=due,
            )
            for index, household in enumerate(chosen)
        )
    return plan


def _spread(households: list[Household], count: int, rng: random.Random) -> list[Household]:
    """Round-robin over buildings (in a shuffled order), a random household of each in turn."""
    by_building: dict[int, list[Household]] = {}
    for household in households:
        by_building.setdefault(household.unit.building_id, []).append(household)
    for members in by_building.values():
        rng.shuffle(members)
    buildings = sorted(by_building)
    rng.shuffle(buildings)
    chosen: list[Household] = []
    while len(chosen) < count and any(by_building.values()):
        for building in buildings:
            if by_building[building] and len(chosen) < count:
                chosen.append(by_building[building].pop())
    return chosen


def worked_on(order: Any, person: Any) -> bool:
    """Whether ``person`` did the job (assigned, or took a step of the work) or is the staff
    member it is about: they may not judge it in its return visit."""
    from estate.workorders.choices import Action

    pk = getattr(person, "pk", None)
    if pk is None:
        return False
    work = (Action.ACCEPT, Action.START, Action.HOLD, Action.RESUME, Action.COMPLETE)
    return (
        order.assignee_id == pk
        or order.about_id == pk
        or order.events.filter(actor_id=pk, action__in=work).exists()
    )


def record_visit(
    visit: ReturnVisit,
    *,
    by: Any,
    channel: str,
    reached: bool,
    score: int | None = None,
    comments: str = "",
    items: list[tuple[str, str]] | None = None,
    reply: str = "",
) -> ReturnVisit:
    """Record one call or home visit. Not reached: another attempt (three, then "not reached").
    Reached: the score and what was said, each opinion itemised; a dissatisfied answer reopens the
    order or, for a survey, opens a complaint. ``reply``: the result as the caller told it, which
    is the completed order's reply (one step for the same-day return call and the reply)."""
    if channel not in VisitChannel.values:
        raise ValidationError({"channel": _("Choose phone or home visit.")})
    if visit.work_order is not None and worked_on(visit.work_order, by):
        raise ValidationError(
            _("You worked on this order (or it is about you): someone else makes its return visit.")
        )
    if reached and score not in Satisfaction.values:
        raise ValidationError({"score": _("Give a satisfaction score from 1 to 5.")})
    items = [(kind, text.strip()) for kind, text in (items or []) if text.strip()]
    if any(kind not in ItemKind.values for kind, _text in items):
        raise ValidationError({"items": _("Unknown kind of opinion.")})
    now = timezone.now()
    with transaction.atomic():
        if not reached:
            attempts = visit.attempts + 1
            status = VisitStatus.UNREACHABLE if attempts >= MAX_ATTEMPTS else VisitStatus.OPEN
            if not ReturnVisit.objects.filter(
                pk=visit.pk, status=VisitStatus.OPEN, attempts=visit.attempts
            ).update(attempts=attempts, status=status, channel=channel):
                raise ValidationError(_("This visit was already recorded."))
            visit.refresh_from_db()
            return visit
        if not ReturnVisit.objects.filter(pk=visit.pk, status=VisitStatus.OPEN).update(
            status=VisitStatus.DONE,
            attempts=visit.attempts + 1,
            channel=channel,
            score=score,
            comments=comments.strip(),
            visited_at=now,
            visited_by=by,
        ):
            raise ValidationError(_("This visit was already recorded."))
        visit.refresh_from_db()
        OpinionItem.objects.bulk_create(
            OpinionItem(office_id=visit.office_id, visit=visit, kind=kind, text=text, raised_at=now)
            for kind, text in items
        )
        if visit.work_order is not None:
            clocks.meet(visit.work_order, {Rule.FOLLOW_UP}, now)
        if reply.strip() and reply_awaited(visit):
            _reply_on_the_call(visit, by=by, channel=channel, text=reply)
        if score is not None and score < Satisfaction.FAIRLY_SATISFIED:
            _act_on_dissatisfaction(visit, by=by, score=score, comments=comments)
    return visit


def reply_awaited(visit: ReturnVisit) -> bool:
    """Whether the visit's order is done and still owes the requester its reply."""
    order = visit.work_order
    return order is not None and order.status == Status.COMPLETED


def _reply_on_the_call(visit: ReturnVisit, *, by: Any, channel: str, text: str) -> None:
    from estate.workorders import actions as work_orders

    assert visit.work_order is not None
    told = ReplyChannel.VISIT if channel == VisitChannel.HOME else ReplyChannel.PHONE
    try:
        work_orders.reply(
            visit.work_order, reply_channel=told, text=text, by=by, channel=EventChannel.PHONE
        )
    except ValidationError as refused:  # the guard, or a required text: said on this form's field
        raise ValidationError({"reply": refused.messages}) from refused


def _act_on_dissatisfaction(visit: ReturnVisit, *, by: Any, score: int, comments: str) -> None:
    from estate.workorders import actions as work_orders

    reason = gettext("Return visit: %(score)s. %(comments)s") % {
        "score": Satisfaction(score).label,
        "comments": comments.strip(),
    }
    order = visit.work_order
    if order is not None and order.status in (Status.COMPLETED, Status.REPLIED, Status.CLOSED):
        work_orders.reopen(order, reason=reason, by=by, channel="phone")
    elif order is None and visit.household is not None:
        work_orders.open_work_order(
            office=visit.household.office,
            by=by,
            channel="phone",
            kind=Kind.COMPLAINT,
            description=reason,
            unit=visit.household.unit,
        )


def answer_item(item: OpinionItem, *, by: Any, answer: str) -> OpinionItem:
    """Answer one item raised in a visit (who, what, when); an answered item cannot be answered again."""
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer given.")})
    guard.enforce(
        office=item.office_id, by=by, channel=LanguageChannel.OPINION_ANSWER, answer=answer
    )
    if not OpinionItem.objects.filter(pk=item.pk, answered_at__isnull=True).update(
        answer=answer, answered_by=by, answered_at=timezone.now()
    ):
        raise ValidationError({"answer": _("This item was already answered.")})
    item.refresh_from_db()
    return item


def rate_from_portal(order: WorkOrder, *, by: Any, score: int, comment: str = "") -> ReturnVisit:
    """The requester rates a finished job in the portal: it is the order's return visit (a low
    score reopens it, as after a call)."""
    visit = (
        ReturnVisit.objects.filter(
            work_order=order,
            status=VisitStatus.OPEN,
            kind__in=[VisitKind.ORDER, VisitKind.COMPLAINT],
        )
        .order_by("id")
        .first()
    )
    if visit is None:
        if ReturnVisit.objects.filter(work_order=order).exclude(status=VisitStatus.OPEN).exists():
            raise ValidationError({"score": _("This job has been rated already. Thank you.")})
        raise ValidationError({"score": _("You can rate the job once it is done.")})
    return record_visit(
        visit, by=by, channel=VisitChannel.PORTAL, reached=True, score=score, comments=comment
    )
