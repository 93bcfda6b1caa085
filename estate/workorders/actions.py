"""The steps of a work order's life: open, dispatch, work, tell the requester, close. Keyword-only,
transactional, the same for UI, API, portal and tasks; each status change goes through
``transitions.transition``. Photos and rectifications have modules of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from estate.accounts.access import scope_for
from estate.accounts.models import StaffRole, User
from estate.accounts.people import people_with_role
from estate.accounts.roles import Capability, Role
from estate.knowledge.models import public_articles
from estate.language import guard
from estate.language.choices import Channel as LanguageChannel
from estate.notifications.actions import notify
from estate.notifications.messages import Message
from estate.properties.models import Office, Resident, ServiceUnit, Unit
from estate.workorders import signatures
from estate.workorders.choices import (
    Action,
    ComplaintType,
    Kind,
    Priority,
    ReplyChannel,
    Status,
    allowed_from,
)
from estate.workorders.models import Reply, WorkOrder
from estate.workorders.numbering import next_number
from estate.workorders.routing import complaint_handler, handles_complaints

# Raised by every step; callers catch it from here.
from estate.workorders.transitions import TransitionRefused as TransitionRefused
from estate.workorders.transitions import record, required, transition

# How far ahead a promise may reach: the longest job (construction left-overs) is months away.
PROMISE_HORIZON = timedelta(days=366)


def _check_place(
    office: Office, unit: Unit | None, requester: Resident | None, location: str
) -> None:
    errors: dict[str, Any] = {}
    if unit is not None and unit.office_id != office.pk:
        errors["unit"] = _("This unit belongs to another office.")
    if requester is not None and requester.office_id != office.pk:
        errors["requester"] = _("This requester belongs to another office.")
    if unit is None and not location.strip():
        errors["location"] = _("Give a unit or a place such as 3棟電梯.")
    if errors:
        raise ValidationError(errors)


def open_work_order(
    *,
    office: Office,
    by: Any,
    channel: str,
    kind: str,
    description: str,
    unit: Unit | None = None,
    location: str = "",
    requester: Resident | None = None,
    requester_name: str = "",
    requester_phone: str = "",
    service_item: Any = None,
    priority: str | None = None,
    is_emergency: bool = False,
    contact: Any = None,
    service_unit: ServiceUnit | None = None,
    assignee: User | None = None,
    promised_at: datetime | None = None,
    promise_reason: str = "",
    complaint_type: str = "",
    is_important: bool = False,
    accountable: User | None = None,
    dispatch_now: bool = True,
    about: User | None = None,
    equipment: Any = None,
) -> WorkOrder:
    """Open an order; ``by`` becomes its first receiver (首問負責) unless ``accountable`` names
    another (a resident's own report is owed to the desk). Dispatches at once to the given unit
    or the service item's, unless ``dispatch_now`` is off (the desk dispatches portal reports),
    and promises when asked. ``about`` names the staff member a complaint is about, who will
    not see it. ``equipment`` is the piece of the equipment register at fault."""
    description = required(description, "description")
    if equipment is not None and equipment.office_id != office.pk:
        raise ValidationError({"equipment": _("This equipment belongs to another office.")})
    if about is not None and (
        kind != Kind.COMPLAINT or not StaffRole.objects.filter(user=about, office=office).exists()
    ):
        raise ValidationError(
            {"about": _("Only a complaint names a staff member, one of this office.")}
        )
    _check_place(office, unit, requester, location)
    if service_item is not None and service_item.office_id != office.pk:
        raise ValidationError({"service_item": _("This service item belongs to another office.")})
    if unit is not None and requester is None and not requester_name:
        requester = unit.main_contact()
    with transaction.atomic():
        now = timezone.now()
        order = WorkOrder.objects.create(
            office=office,
            number=next_number(office),
            kind=kind,
            service_item=service_item,
            priority=priority
            or (service_item.default_priority if service_item else Priority.NORMAL),
            is_emergency=is_emergency,
            complaint_type=(complaint_type or ComplaintType.GENERAL)
            if kind == Kind.COMPLAINT
            else "",
            is_important=is_important and kind == Kind.COMPLAINT,
            unit=unit,
            location=location.strip(),
            requester=requester,
            requester_name=requester_name or (requester.name if requester else ""),
            requester_phone=requester_phone or (requester.phone if requester else ""),
            contact=contact,
            description=description,
            accountable=accountable or by,
            about=about,
            equipment=equipment,
            opened_at=now,
        )
        record(order, Action.OPEN, by=by, channel=channel, to_status=Status.NEW, at=now)
        if order.is_important or order.complaint_type in (
            ComplaintType.WRITTEN,
            ComplaintType.ATTITUDE,
        ):
            _tell_the_head(order)
        unit_to = service_unit or (service_item.service_unit if service_item else None)
        if dispatch_now and kind == Kind.COMPLAINT and assignee is None:
            # A complaint logged without a handler goes to a manager at once (R-A2.0): the one
            # on duty, else the next in turn; a team chosen at the desk does the work for them.
            assignee = complaint_handler(office, now)
        if dispatch_now and (unit_to is not None or handles_complaints(assignee, office.pk)):
            order = dispatch(order, service_unit=unit_to, assignee=assignee, by=by, channel=channel)
        if promised_at is not None:
            order = promise(
                order, promised_at=promised_at, reason=promise_reason, by=by, channel=channel
            )
    return order


def _tell_the_head(order: WorkOrder) -> None:
    """Written, attitude and important complaints go to the office head (R-A2.2, R-A2.3)."""
    what = (
        gettext("Important complaint") if order.is_important else order.get_complaint_type_display()
    )
    notify(
        office_id=order.office_id,
        recipients=people_with_role(order.office, Role.HEAD),
        kind="complaint_for_head",
        text=Message(
            gettext_lazy("%(what)s %(number)s needs you: %(description)s"),
            {"what": what, "number": order.number, "description": order.description[:80]},
        ),
        link=reverse("workorders:detail", args=[order.pk]),
    )


def _team_members(service_unit: ServiceUnit) -> list[User]:
    """The unit's leads: those with the team-lead role in it, and the lead named on the unit."""
    leads = Q(staff_roles__service_unit=service_unit, staff_roles__role=Role.TEAM_LEAD) | Q(
        led_service_units=service_unit
    )
    return list(User.objects.filter(leads, is_active=True).distinct())


def _check_assignment(
    order: WorkOrder, service_unit: ServiceUnit | None, assignee: User | None, by: Any
) -> None:
    """The unit is of the order's office; the person does field work there, and, when a team
    lead (not the desk) names them, is a member of a team that lead leads. A complaint goes to a
    person who handles complaints (a manager, the head), with or without a unit to do the work."""
    if service_unit is None:
        if not handles_complaints(assignee, order.office_id):
            raise ValidationError(
                {"service_unit": _("Choose a service unit, or a manager to handle it.")}
            )
        return
    if service_unit.office_id != order.office_id:
        raise ValidationError({"service_unit": _("This service unit belongs to another office.")})
    if assignee is None:
        return
    if order.kind == Kind.COMPLAINT and handles_complaints(assignee, order.office_id):
        return  # the manager handling a complaint, with the team that does the work
    if not scope_for(assignee).can(Capability.DO_WORK, order.office_id):
        raise ValidationError(
            {"assignee": _("This person does no field work in the order's office.")}
        )
    actor = scope_for(by)
    if (
        not actor.can(Capability.RUN_DESK, order.office_id)
        and not StaffRole.objects.filter(
            user=assignee, service_unit_id__in=actor.led_unit_ids
        ).exists()
    ):
        raise ValidationError({"assignee": _("You may only assign the members of your team.")})


def _tell_receivers(
    order: WorkOrder, service_unit: ServiceUnit | None, assignee: User | None
) -> None:
    link = reverse("workorders:detail", args=[order.pk])
    recipients = [assignee] if assignee else _team_members(service_unit) if service_unit else []
    notify(
        office_id=order.office_id,
        recipients=recipients,
        kind="work_order_dispatched",
        text=Message(
            gettext_lazy("Work order %(number)s for %(place)s: %(description)s"),
            {"number": order.number, "place": order.place, "description": order.description[:80]},
        ),
        link=link,
    )


def dispatch(
    order: WorkOrder,
    *,
    service_unit: ServiceUnit | None = None,
    assignee: User | None = None,
    by: Any,
    channel: str,
) -> WorkOrder:
    """Send the order to a service unit, and to a person in it when known (派單); or, without a
    unit, to a manager or the head who handles it (a complaint, a remark handed to the head)."""
    _check_assignment(order, service_unit, assignee, by)
    now = timezone.now()
    order = transition(
        order,
        Action.DISPATCH,
        by=by,
        channel=channel,
        data={
            "service_unit": service_unit.name if service_unit else "",
            "assignee": str(assignee) if assignee else "",
        },
        service_unit=service_unit,
        assignee=assignee,
        dispatched_at=now,
    )
    _tell_receivers(order, service_unit, assignee)
    return order


def assign(order: WorkOrder, *, assignee: User, by: Any, channel: str) -> WorkOrder:
    """The team lead names the person who will do the job."""
    service_unit = order.service_unit
    # Only a dispatched order (which always has a unit) takes a person: refuse before using it.
    if service_unit is None or not allowed_from(Action.ASSIGN, order.status):
        raise TransitionRefused(order, Action.ASSIGN)
    _check_assignment(order, service_unit, assignee, by)
    order = transition(
        order,
        Action.ASSIGN,
        by=by,
        channel=channel,
        data={"assignee": str(assignee)},
        assignee=assignee,
    )
    _tell_receivers(order, service_unit, assignee)
    return order


def transfer(
    order: WorkOrder,
    *,
    service_unit: ServiceUnit,
    assignee: User | None = None,
    reason: str,
    by: Any,
    channel: str,
) -> WorkOrder:
    """Pass the order to another unit or person; the first receiver stays accountable."""
    reason = required(reason, "reason")
    _check_assignment(order, service_unit, assignee, by)
    order = transition(
        order,
        Action.TRANSFER,
        by=by,
        channel=channel,
        note=reason,
        data={"service_unit": service_unit.name, "assignee": str(assignee) if assignee else ""},
        service_unit=service_unit,
        assignee=assignee,
        accepted_at=None,
        dispatched_at=timezone.now(),
    )
    _tell_receivers(order, service_unit, assignee)
    return order


def return_to_desk(order: WorkOrder, *, reason: str, by: Any, channel: str) -> WorkOrder:
    """The team hands the order back (not theirs, cannot be done); the desk routes it again."""
    reason = required(reason, "reason")
    order = transition(
        order,
        Action.RETURN,
        by=by,
        channel=channel,
        note=reason,
        service_unit=None,
        assignee=None,
        accepted_at=None,
    )
    notify(
        office_id=order.office_id,
        recipients=[order.accountable],
        kind="work_order_returned",
        text=Message(
            gettext_lazy("Work order %(number)s was returned: %(reason)s"),
            {"number": order.number, "reason": reason},
        ),
        link=reverse("workorders:detail", args=[order.pk]),
    )
    return order


def accept(order: WorkOrder, *, by: Any, channel: str, at: datetime | None = None) -> WorkOrder:
    return transition(
        order,
        Action.ACCEPT,
        by=by,
        channel=channel,
        at=at,
        accepted_at=at or timezone.now(),
        assignee=order.assignee or by,
    )


def start(order: WorkOrder, *, by: Any, channel: str, at: datetime | None = None) -> WorkOrder:
    """Work starts on scene (the worker's check-in: it meets the on-scene rule)."""
    return transition(order, Action.START, by=by, channel=channel, at=at)


def hold(
    order: WorkOrder, *, reason: str, resume_on: date | None = None, by: Any, channel: str
) -> WorkOrder:
    """Pause the job (waiting for parts, for the requester to be home, …) with a reason and a resume date."""
    reason = required(reason, "reason")
    return transition(
        order,
        Action.HOLD,
        by=by,
        channel=channel,
        note=reason,
        data={"resume_on": resume_on.isoformat() if resume_on else ""},
        held_from=order.status,
        hold_reason=reason,
        resume_on=resume_on,
    )


def resume(order: WorkOrder, *, by: Any, channel: str) -> WorkOrder:
    return transition(
        order, Action.RESUME, by=by, channel=channel, hold_reason="", resume_on=None, held_from=""
    )


def complete(
    order: WorkOrder,
    *,
    work_done: str,
    materials_used: str = "",
    fee_charged: Decimal = Decimal("0.00"),
    signature: str = "",
    by: Any,
    channel: str,
    at: datetime | None = None,
) -> WorkOrder:
    """Record what was done, the materials used and any fee charged, and the requester's
    signature when they signed on the screen (a PNG data URL, see ``signatures``). Everything
    is checked first: a refused signature completes nothing. ``at``: when, if not now."""
    work_done = required(work_done, "work_done")
    if fee_charged < 0:
        raise ValidationError({"fee_charged": _("The fee cannot be negative.")})
    signed = signatures.checked_signature(signature)
    from estate.visits.actions import plan_after_completion

    now = at or timezone.now()
    data: dict[str, Any] = {"materials_used": materials_used, "fee_charged": str(fee_charged)}
    if signed is not None:
        data["requester_signed"] = True
    with transaction.atomic():
        order = transition(
            order,
            Action.COMPLETE,
            by=by,
            channel=channel,
            at=at,
            note=work_done,
            data=data,
            work_done=work_done,
            materials_used=materials_used,
            fee_charged=fee_charged,
            completed_at=now,
        )
        if signed is not None:
            signatures.keep_signature(order, signed, by=by)
        plan_after_completion(order, now)  # the return call (回訪), due the same day
    return order


def _tell_requester(
    order: WorkOrder,
    action: str,
    *,
    final: bool,
    reply_channel: str,
    text: str,
    by: Any,
    channel: str,
    articles: Iterable[Any] = (),
) -> WorkOrder:
    """Record what the requester was told and how, as a step on the timeline and a ``Reply``,
    with the knowledge-base articles given with it (public ones of the office or the company)."""
    text = required(text, "text")
    if reply_channel not in ReplyChannel.values:
        raise ValidationError({"reply_channel": _("Choose how the requester was told.")})
    guard.enforce(
        office=order.office_id,
        by=by,
        channel=LanguageChannel.REPLY if final else LanguageChannel.UPDATE,
        text=text,
    )
    articles = list(articles)
    given = public_articles(order.office_id).filter(pk__in=[a.pk for a in articles])
    if len(articles) != given.count():
        raise ValidationError({"articles": _("Only public articles of this office can be given.")})
    with transaction.atomic():
        now = timezone.now()
        changes = {"replied_at": now} if final else {}
        order = transition(
            order,
            action,
            by=by,
            channel=channel,
            note=text,
            data={"reply_channel": reply_channel},
            **changes,
        )
        reply = Reply.objects.create(
            work_order=order,
            channel=reply_channel,
            text=text,
            is_final=final,
            replied_by=by,
            replied_at=now,
        )
        reply.articles.set(articles)
    return order


def reply(
    order: WorkOrder,
    *,
    reply_channel: str,
    text: str,
    by: Any,
    channel: str,
    articles: Iterable[Any] = (),
) -> WorkOrder:
    """The final answer to the requester (回覆): how they were told and what."""
    return _tell_requester(
        order,
        Action.REPLY,
        final=True,
        reply_channel=reply_channel,
        text=text,
        by=by,
        channel=channel,
        articles=articles,
    )


def update_requester(
    order: WorkOrder,
    *,
    reply_channel: str,
    text: str,
    by: Any,
    channel: str,
    articles: Iterable[Any] = (),
) -> WorkOrder:
    """Tell the requester how things stand while the job goes on (keeps them informed; R-A2.4)."""
    return _tell_requester(
        order,
        Action.UPDATE_REQUESTER,
        final=False,
        reply_channel=reply_channel,
        text=text,
        by=by,
        channel=channel,
        articles=articles,
    )


def close(order: WorkOrder, *, by: Any, channel: str) -> WorkOrder:
    """Close a replied order. The status table only allows it after the final reply, so none closes unanswered."""
    return transition(order, Action.CLOSE, by=by, channel=channel, closed_at=timezone.now())


def cancel(order: WorkOrder, *, reason: str, by: Any, channel: str) -> WorkOrder:
    reason = required(reason, "reason")
    return transition(
        order, Action.CANCEL, by=by, channel=channel, note=reason, cancel_reason=reason
    )


def reopen(order: WorkOrder, *, reason: str, by: Any, channel: str) -> WorkOrder:
    """The requester is not satisfied: the order goes back to the desk to be dispatched again."""
    reason = required(reason, "reason")
    return transition(
        order,
        Action.REOPEN,
        by=by,
        channel=channel,
        note=reason,
        completed_at=None,
        replied_at=None,
        closed_at=None,
        accepted_at=None,
    )


def promise(
    order: WorkOrder, *, promised_at: datetime, reason: str, by: Any, channel: str
) -> WorkOrder:
    """Record the time promised to the requester and why it cannot be sooner, as told to them (R-A1.5)."""
    reason = required(reason, "reason")
    if not order.opened_at <= promised_at <= order.opened_at + PROMISE_HORIZON:
        raise ValidationError(
            {"promised_at": _("Promise a time between the order's opening and a year after it.")}
        )
    guard.enforce(office=order.office_id, by=by, channel=LanguageChannel.PROMISE, reason=reason)
    return transition(
        order,
        Action.PROMISE,
        by=by,
        channel=channel,
        note=reason,
        data={"promised_at": promised_at.isoformat()},
        promised_at=promised_at,
        promise_reason=reason,
    )


def comment(
    order: WorkOrder, *, text: str, by: Any, channel: str, data: dict[str, Any] | None = None
) -> WorkOrder:
    """A note on the timeline; ``data`` marks what it means to code (the requester's
    confirmation in the portal is ``{"confirmed": True}``)."""
    text = required(text, "text")
    return transition(order, Action.COMMENT, by=by, channel=channel, note=text, data=data)
