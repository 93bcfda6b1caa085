"""Clocks follow the order's timeline: each step starts, meets, pauses or stops the clocks it concerns.

``on_event`` is called by ``workorders.actions`` inside the transaction that records the step,
so a clock and the step that moved it are saved together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.properties.models import Office
from estate.timerules.calendar import WorkCalendar, YearNotPublished, same_day_due, working_days_due
from estate.timerules.choices import DEFAULT_POLICIES, ClockState, Rule, Start, TargetKind
from estate.timerules.models import CalendarYear, Clock, ClockPolicy
from estate.workorders.choices import Action, ComplaintType, Kind, Status
from estate.workorders.routing import handles_complaints

if TYPE_CHECKING:
    from estate.accounts.models import User
    from estate.workorders.models import WorkOrder

LIVE = (ClockState.RUNNING, ClockState.PAUSED)


def ensure_policies(office: Office) -> list[ClockPolicy]:
    """The office's policies, created from the defaults of requirements.md the first time they are needed."""
    policies = list(ClockPolicy.objects.filter(office=office))
    have = {p.rule for p in policies}
    missing = [
        ClockPolicy(
            office=office,
            rule=rule,
            target_kind=kind,
            amount=amount,
            warn_before_minutes=warn,
            kinds=kinds,
            starts_on=starts,
            pauses_on_hold=pauses,
        )
        for rule, (kind, amount, warn, kinds, starts, pauses) in DEFAULT_POLICIES.items()
        if rule not in have
    ]
    if missing:
        ClockPolicy.objects.bulk_create(missing, ignore_conflicts=True)
        policies = list(ClockPolicy.objects.filter(office=office))
    return policies


def calendar_for(office: Office) -> WorkCalendar:
    return calendars_for([office])[office.pk]


def calendars_for(offices: Sequence[Office]) -> dict[int, WorkCalendar]:
    """Each office's work calendar (its confirmed years and overrides), in two queries."""
    closed: dict[int, set[date]] = {office.pk: set() for office in offices}
    extra: dict[int, set[date]] = {office.pk: set() for office in offices}
    confirmed: dict[int, set[int]] = {office.pk: set() for office in offices}
    years = CalendarYear.objects.filter(office__in=list(closed)).prefetch_related("overrides")
    for year in years:
        if year.confirmed_at:
            confirmed[year.office_id].add(year.year)
        for override in year.overrides.all():
            (extra if override.is_working_day else closed)[year.office_id].add(override.day)
    return {
        pk: WorkCalendar(frozenset(closed[pk]), frozenset(extra[pk]), frozenset(confirmed[pk]))
        for pk in closed
    }


def due_time(
    target_kind: str, amount: int, start: datetime, office: Office, calendar: WorkCalendar
) -> datetime:
    zone = ZoneInfo(office.timezone)
    if target_kind == TargetKind.MINUTES:
        return start + timedelta(minutes=amount)
    if target_kind == TargetKind.HOURS:
        return start + timedelta(hours=amount)
    if target_kind == TargetKind.SAME_DAY:
        return same_day_due(start, zone=zone, closes_at=office.closes_at, calendar=calendar)
    return working_days_due(start, amount, zone=zone, calendar=calendar)


def _due_or_provisional(policy: ClockPolicy, start: datetime, office: Office) -> datetime:
    return provisionally(
        office,
        lambda calendar: due_time(policy.target_kind, policy.amount, start, office, calendar),
    )


def provisionally(office: Office, compute: Callable[[WorkCalendar], datetime]) -> datetime:
    """``compute(calendar)`` on the office's calendar; if it reaches a year not published yet, count
    weekends and official holidays only in that year and ask the office's head and administrators
    to confirm the year (once). A deadline is never refused for want of a calendar."""
    calendar = calendar_for(office)
    for _attempt in range(3):  # a deadline spans at most the next year or two
        try:
            return compute(calendar)
        except YearNotPublished as missing:
            from estate.accounts.people import people_with_role
            from estate.notifications.actions import notify

            notify(
                office_id=office.pk,
                recipients=people_with_role(office, "head")
                + people_with_role(office, "administrator"),
                kind="calendar_year_missing",
                text=missing.message,
                dedup_key=f"calendar:{office.pk}:{missing.year}",
            )
            calendar = WorkCalendar(
                calendar.closed, calendar.extra_workdays, calendar.confirmed_years | {missing.year}
            )
    return compute(calendar)


def start_person_clock(
    order: WorkOrder, rule: str, person: User | None, at: datetime
) -> Clock | None:
    """Start a per-person clock (an emergency responder's 5 minutes) if the office's policy is active."""
    for policy in ensure_policies(order.office):
        if policy.rule == rule and _applies(policy, order):
            return start_clock(order, policy, at, person=person)
    return None


def meet_person_clock(order: WorkOrder, rule: str, person: User | None, at: datetime) -> None:
    _record_met(Clock.objects.filter(work_order=order, rule=rule, person=person), at)


def start_clock(
    order: WorkOrder, policy: ClockPolicy, at: datetime, person: User | None = None
) -> Clock:
    office = order.office
    due = _due_or_provisional(policy, at, office)
    warn = (
        due - timedelta(minutes=policy.warn_before_minutes) if policy.warn_before_minutes else None
    )
    return Clock.objects.create(
        work_order=order,
        office=office,
        policy=policy,
        rule=policy.rule,
        person=person,
        target_kind=policy.target_kind,
        amount=policy.amount,
        pauses_on_hold=policy.pauses_on_hold,
        started_at=at,
        due_at=due,
        warn_at=warn if warn and warn > at else None,
    )


# Contacts that arrive without a person at the other end: the requester waits to hear back.
ARRIVES_ONLINE = frozenset({"online", "sms", "wechat", "email"})

# Rules that apply only to complaints of a certain type, beyond the policy's kinds.
_ONLY_IF: dict[str, Callable[[WorkOrder], bool]] = {
    Rule.IMPORTANT_COMPLAINT: lambda order: order.is_important,
    # Written complaints are answered the same day like any (R-A2.2); attitude ones by the head (R-A2.3).
    Rule.HEAD_SAME_DAY: lambda order: order.complaint_type == ComplaintType.ATTITUDE,
    # A request made online waits for the desk to dispatch it (complaints have their own rule;
    # concierge requests go to their team at once).
    Rule.ONLINE_DISPATCH: lambda order: (
        order.status == Status.NEW
        and order.kind not in (Kind.COMPLAINT, Kind.CONCIERGE)
        and order.contact is not None
        and order.contact.channel in ARRIVES_ONLINE
    ),
    Rule.ACKNOWLEDGED: lambda order: (
        order.contact is not None and order.contact.channel in ARRIVES_ONLINE
    ),
}
# Rules met only when the head gives the answer.
HEAD_RULES = frozenset({Rule.IMPORTANT_COMPLAINT, Rule.HEAD_SAME_DAY})


def _applies(policy: ClockPolicy, order: WorkOrder) -> bool:
    condition = _ONLY_IF.get(policy.rule)
    return (
        policy.is_active
        and policy.applies_to(order.kind)
        and (condition is None or condition(order))
    )


def _start(order: WorkOrder, starts_on: str, at: datetime, only: set[str] | None = None) -> None:
    for policy in ensure_policies(order.office):
        if policy.starts_on != starts_on or not _applies(policy, order):
            continue
        if only is not None and policy.rule not in only:
            continue
        start_clock(order, policy, at)


def meet(order: WorkOrder, rules: set[str], at: datetime) -> None:
    """Record that rules were met by something outside the order's timeline (a return visit)."""
    _meet(order, rules, at)


def _meet(order: WorkOrder, rules: set[str], at: datetime) -> None:
    """Record the time the rule was met; a breached clock keeps its breach (and gets its met time)."""
    _record_met(Clock.objects.filter(work_order=order, rule__in=rules), at)


def _record_met(clocks: QuerySet[Clock], at: datetime) -> None:
    """Met at ``at``. Met after its due time before the sweep noticed: a breach all the same
    (counted missed, though nobody is warned any more: the rule is met, nothing to chase). A
    paused clock is met on the hold's time: its due time moves by the time held, as on resume."""
    clocks.filter(state=ClockState.RUNNING, due_at__lt=at).update(
        state=ClockState.BREACHED, breached_at=F("due_at"), met_at=at
    )
    for clock in clocks.filter(state=ClockState.PAUSED):
        held = at - (clock.paused_at or at)
        Clock.objects.filter(pk=clock.pk, state=ClockState.PAUSED).update(
            state=ClockState.MET, met_at=at, paused_at=None, due_at=F("due_at") + held
        )
    clocks.filter(state=ClockState.RUNNING).update(state=ClockState.MET, met_at=at)
    clocks.filter(state=ClockState.BREACHED, met_at__isnull=True).update(met_at=at)


def _meet_complaint_dispatch(order: WorkOrder, at: datetime) -> None:
    """R-A2.0: a complaint is "arranged to a manager for handling" within 10 minutes. Sending it
    to a team is not enough: the clock stops only when the order is assigned to a person who
    handles complaints in its office (a manager or the head), by dispatch, assignment or
    transfer."""
    if handles_complaints(order.assignee, order.office_id):
        _meet(order, {Rule.COMPLAINT_DISPATCH}, at)


def on_event(order: WorkOrder, action: str, at: datetime, by: Any = None) -> None:
    status = order.status
    if action == Action.OPEN:
        _start(order, Start.OPEN, at)
    elif action == Action.REOPEN:
        _start(
            order,
            Start.OPEN,
            at,
            only={Rule.SAME_DAY_REPLY, Rule.SAME_DAY_COMPLETION, Rule.WEEKLY_CONTACT},
        )
    elif action == Action.DISPATCH:
        _meet(order, {Rule.ONLINE_DISPATCH}, at)
        _meet_complaint_dispatch(order, at)
    elif action in (Action.ASSIGN, Action.TRANSFER):
        _meet_complaint_dispatch(order, at)
    elif action == Action.ACCEPT:
        _meet(order, {Rule.CONCIERGE_ACCEPTED}, at)
    elif action in (Action.REPLY, Action.UPDATE_REQUESTER):
        _meet(order, {Rule.SAME_DAY_REPLY, Rule.WEEKLY_CONTACT}, at)
        if by is not None and scope_for(by).can(Capability.ANSWER_AS_HEAD, order.office_id):
            _meet(order, set(HEAD_RULES), at)
        if status not in (Status.COMPLETED, Status.REPLIED, Status.CLOSED):
            # Weekly contact is rolling: seven days from this contact, until the job is done.
            _start(order, Start.OPEN, at, only={Rule.WEEKLY_CONTACT})
    elif action == Action.COMPLETE:
        _meet(order, {Rule.SAME_DAY_COMPLETION, Rule.WEEKLY_CONTACT}, at)
        _start(order, Start.COMPLETE, at)
    elif action == Action.HOLD:
        Clock.objects.filter(
            work_order=order, state=ClockState.RUNNING, pauses_on_hold=True
        ).update(state=ClockState.PAUSED, paused_at=at)
    elif action == Action.RESUME:
        for clock in Clock.objects.filter(work_order=order, state=ClockState.PAUSED):
            held = at - (clock.paused_at or at)
            Clock.objects.filter(pk=clock.pk, state=ClockState.PAUSED).update(
                state=ClockState.RUNNING,
                paused_at=None,
                due_at=F("due_at") + held,
                warn_at=F("warn_at") + held if clock.warn_at else None,
            )
    elif action == Action.CANCEL:
        Clock.objects.filter(work_order=order, state__in=LIVE).update(
            state=ClockState.STOPPED, paused_at=None
        )


def describe(clock: Clock, now: datetime) -> str:
    """A short human line for a clock: time left, or how it ended."""
    if clock.state == ClockState.MET:
        return gettext("met")
    if clock.state == ClockState.BREACHED:
        return gettext("breached")
    if clock.state == ClockState.PAUSED:
        return gettext("paused")
    if clock.state == ClockState.STOPPED:
        return gettext("no longer applies")
    left = clock.due_at - now
    minutes = int(left.total_seconds() // 60)
    if minutes < 0:
        return gettext("overdue")
    if minutes < 120:
        return gettext("%(minutes)d min left") % {"minutes": minutes}
    return gettext("%(hours)d h left") % {"hours": minutes // 60}


def told_about(clocks: list[Clock]) -> dict[int, list[str]]:
    """Who was warned or told of a breach, per clock: "name (time)" lines, in order."""
    from estate.notifications.models import Notification

    keys = {
        f"clock:{c.pk}:{suffix}": c.pk
        for c in clocks
        for suffix in ("warn", "breach:1", "breach:2", "breach:3")
    }
    found: dict[int, list[str]] = {}
    for note in (
        Notification.objects.filter(dedup_key__in=keys)
        .select_related("recipient")
        .order_by("created_at", "id")
    ):
        when = timezone.localtime(note.created_at)
        found.setdefault(keys[note.dedup_key], []).append(f"{note.recipient} {when:%m-%d %H:%M}")
    return found
