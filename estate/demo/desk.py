"""碧水灣's lived-in desk: callers for the scripted cases, replayed through the real actions.

The cases are in ``desk_cases``. ``plan_desk`` picks who makes each of them (part of the
plan, so without the database); ``seed_desk`` takes the contacts and runs the orders
through the front-desk and work-order actions.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from estate.accounts.models import User
from estate.demo.common import ANCHOR_ADDRESS
from estate.demo.desk_cases import (
    ANCHOR,
    ASSISTED,
    DESK_CASES,
    PASSER_BY,
    STAFF_CALLER,
    Step,
)
from estate.demo.people import DeskCaller, HouseholdPlan
from estate.frontdesk import actions as frontdesk
from estate.frontdesk.choices import Outcome
from estate.frontdesk.models import Contact, ServiceItem
from estate.properties.models import Department, Office, Resident, ServiceUnit, Unit
from estate.workorders import actions as work_orders
from estate.workorders.choices import Action, EventChannel
from estate.workorders.models import WorkOrder


def plan_desk(
    rng: random.Random, households: Sequence[HouseholdPlan]
) -> tuple[DeskCaller | None, ...]:
    """A caller for each of DESK_CASES, each from a different household."""
    anchor = next(h for h in households if h.address == ANCHOR_ADDRESS)
    others = [h for h in households if h is not anchor]
    assisted = [h for h in others if any(p.is_elderly or p.is_disabled for p in h.residents)]
    used: set[str] = set()

    def pick(pool: Sequence[HouseholdPlan]) -> HouseholdPlan:
        while True:
            household = rng.choice(pool)
            if household.address not in used:
                used.add(household.address)
                return household

    callers: list[DeskCaller | None] = []
    for case in DESK_CASES:
        if case.who == STAFF_CALLER:
            callers.append(None)
            continue
        if case.who == ANCHOR:
            household, person = anchor, anchor.primary
        elif case.who == ASSISTED:
            household = pick(assisted)
            person = household.primary  # calling for their elderly or disabled family member
        else:
            household = pick(others)
            person = rng.choice(household.residents)
        # Someone reporting a common area gives a name and phone but is not looked up.
        address = "" if case.who == PASSER_BY else household.address
        callers.append(DeskCaller(address, person.name, person.phone))
    return tuple(callers)


# --- Writing it ----------------------------------------------------------------------


def seed_desk(
    office: Office,
    callers: Sequence[DeskCaller | None],
    users: dict[str, User],
    service_units: dict[tuple[str, str], ServiceUnit],
    created: Counter[str],
) -> None:
    """Replay DESK_CASES through the actions, once: an office with any order or contact is skipped.

    Everything happens now, as it would at the desk; nothing is back-dated.
    """
    if (
        WorkOrder.objects.filter(office=office).exists()
        or Contact.objects.filter(office=office).exists()
    ):
        return
    items = {item.name: item for item in ServiceItem.objects.filter(office=office)}
    departments = {d.name: d for d in Department.objects.filter(office=office)}
    teams = {name: unit for (code, name), unit in service_units.items() if code == office.code}
    phones = [caller.phone for caller in callers if caller and caller.address]
    residents = {
        r.phone: r
        for r in Resident.objects.filter(office=office, phone__in=phones).select_related(
            "household__unit"
        )
    }
    addresses = [caller.address for caller in callers if caller and caller.address]
    units = {u.address: u for u in Unit.objects.filter(office=office, address__in=addresses)}

    for case, caller in zip(DESK_CASES, callers, strict=True):
        requester = residents.get(caller.phone) if caller and caller.address else None
        name, phone = (caller.name, caller.phone) if caller else case.caller
        contact = {
            "channel": case.channel,
            "kind": case.kind,
            "intent": case.intent,
            "outcome": case.outcome,
            "requester": requester,
            # Someone not (or no longer) in the registry is taken down by name and phone.
            "unit": None if requester or not caller else units.get(caller.address),
            "caller_name": "" if requester else name,
            "caller_phone": "" if requester else phone,
            "service_item": items.get(case.item),
            "notes": case.notes,
            "agitated": case.agitated,
        }
        order = referral = None
        if case.outcome == Outcome.WORK_ORDER:
            order = {
                "description": case.description or case.intent,
                "location": case.location,
                "priority": case.priority or None,
                "is_emergency": case.emergency,
                "service_unit": teams.get(case.service_unit),
                "assignee": users.get(case.assignee),
            }
        elif case.outcome == Outcome.REFERRED:
            referral = {"department": departments[case.refer_to], "told_requester": case.told}
        _, opened, referred = frontdesk.take_contact(
            office=office,
            by=users["reception"],
            contact=contact,
            order=order,
            referral=referral,
            event_channel=EventChannel.DESK,
        )
        created["contacts"] += 1
        if opened is not None:
            for step in case.steps:
                opened = run_step(opened, step, users)
            created["work orders"] += 1
        if referred is not None:
            if case.confirmed_by:
                frontdesk.confirm_referral(referred, confirmed_by=case.confirmed_by)
            created["referrals"] += 1


def run_step(order: WorkOrder, step: Step, users: dict[str, User]) -> WorkOrder:
    """Take one scripted action on ``order`` through the work-order actions."""
    common: dict[str, Any] = {"by": users[step.by], "channel": EventChannel.DESK}
    match step.action:
        case Action.ASSIGN:
            return work_orders.assign(order, assignee=users[step.assignee], **common)
        case Action.ACCEPT:
            return work_orders.accept(order, **common)
        case Action.START:
            return work_orders.start(order, **common)
        case Action.HOLD:
            resume_on = timezone.localdate() + timedelta(days=step.days)
            return work_orders.hold(order, reason=step.text, resume_on=resume_on, **common)
        case Action.COMPLETE:
            return work_orders.complete(
                order,
                work_done=step.text,
                materials_used=step.materials,
                fee_charged=Decimal(step.fee),
                **common,
            )
        case Action.REPLY:
            return work_orders.reply(order, reply_channel=step.via, text=step.text, **common)
        case Action.UPDATE_REQUESTER:
            return work_orders.update_requester(
                order, reply_channel=step.via, text=step.text, **common
            )
        case Action.CLOSE:
            return work_orders.close(order, **common)
        case Action.CANCEL:
            return work_orders.cancel(order, reason=step.text, **common)
        case Action.REOPEN:
            return work_orders.reopen(order, reason=step.text, **common)
        case Action.PROMISE:
            promised_at = timezone.now() + timedelta(hours=step.hours)
            return work_orders.promise(order, promised_at=promised_at, reason=step.text, **common)
        case Action.COMMENT:
            return work_orders.comment(order, text=step.text, **common)
    raise ValueError(f"no demo step for {step.action}")
