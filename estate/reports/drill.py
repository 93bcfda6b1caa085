"""What is behind each figure of the dashboard: the orders, calls, visits, issues or bills it
was counted from, the ones that missed the target first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from estate.billing.collection import end_of, with_paid_as_of
from estate.billing.models import Statement
from estate.community.models import Activity
from estate.core.money import grouped
from estate.frontdesk.models import CallRecord
from estate.frontdesk.roster import gaps_until
from estate.messaging.models import Delivery, Message
from estate.properties.models import Office
from estate.reports.measures import (
    COLLECTED,
    FINISHED_STATES,
    IN_THREE_RINGS,
    NOTICE_IN_TIME,
    ORDER_STEP_KINDS,
    SATISFIED,
    TOLD_IN_TIME_Q,
    TOLD_WITHIN,
)
from estate.reports.periods import Period
from estate.timerules.choices import Rule
from estate.timerules.models import KEPT, MISSED, Clock
from estate.visits.choices import VisitKind, VisitStatus
from estate.visits.models import CommonIssue, ReturnVisit
from estate.workorders.choices import Kind
from estate.workorders.models import WorkOrder

LIMIT = 200  # rows on one page; the count says how many there are in all


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""
    missed: bool = False


@dataclass
class Drill:
    columns: list[str | Promise]
    rows: list[list[Cell]] = field(default_factory=list)
    count: int = 0
    # The rows a missed reason can be given for (the clock's id, or None).
    clock_ids: list[int | None] = field(default_factory=list)
    page: int = 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // LIMIT))


def when(moment: datetime | None, office: Office) -> str:
    """A moment as the office's clock showed it."""
    if moment is None:
        return "—"
    return date_format(timezone.localtime(moment, ZoneInfo(office.timezone)), "Y-m-d H:i")


def _order_cell(order_id: int, number: str) -> Cell:
    return Cell(number, reverse("workorders:detail", args=[order_id]))


def clocks(office: Office, period: Period, rule: str, skip: int = 0) -> Drill:
    start, end = period.bounds(office.timezone)
    found = (
        Clock.objects.filter(
            office=office,
            rule=rule,
            started_at__gte=start,
            started_at__lt=end,
        )
        .filter(KEPT | MISSED)
        .annotate(missed=Case(When(MISSED, then=True), default=False, output_field=BooleanField()))
        .select_related("work_order__assignee", "work_order__service_unit", "person")
        .order_by("-missed", "started_at")
    )
    drill = Drill(
        [
            gettext_lazy("Order"),
            gettext_lazy("Kind"),
            gettext_lazy("Person"),
            gettext_lazy("Started"),
            gettext_lazy("Due"),
            gettext_lazy("Met at"),
            gettext_lazy("Result"),
            gettext_lazy("Why it was missed"),
        ],
        count=found.count(),
    )
    for clock in found[skip : skip + LIMIT]:
        order = clock.work_order
        missed = clock.missed
        drill.rows.append(
            [
                _order_cell(order.pk, order.number),
                Cell(order.get_kind_display()),
                Cell(str(clock.concerns or "")),
                Cell(when(clock.started_at, office)),
                Cell(when(clock.due_at, office)),
                Cell(when(clock.met_at, office)),
                Cell(_("missed") if missed else _("kept"), missed=missed),
                Cell(clock.missed_reason),
            ]
        )
        drill.clock_ids.append(clock.pk if missed else None)
    return drill


def calls(office: Office, period: Period, skip: int = 0) -> Drill:
    start, end = period.bounds(office.timezone)
    quick = IN_THREE_RINGS
    found = (
        CallRecord.objects.filter(office=office, rang_at__gte=start, rang_at__lt=end)
        .annotate(quick=Case(When(quick, then=True), default=False, output_field=BooleanField()))
        .order_by("quick", "rang_at")
    )
    drill = Drill(
        [
            gettext_lazy("Rang at"),
            gettext_lazy("Call id"),
            gettext_lazy("Extension"),
            gettext_lazy("Seconds to answer"),
            gettext_lazy("Result"),
        ],
        count=found.count(),
    )
    for call in found[skip : skip + LIMIT]:
        kept = call.quick
        seconds = "—" if call.ring_seconds is None else str(call.ring_seconds)
        result = (
            _("within three rings")
            if kept
            else (_("not answered") if not call.answered else _("too slow"))
        )
        drill.rows.append(
            [
                Cell(when(call.rang_at, office)),
                Cell(call.call_id),
                Cell(call.extension),
                Cell(seconds),
                Cell(result, missed=not kept),
            ]
        )
    return drill


def visits(office: Office, period: Period, skip: int = 0) -> Drill:
    start, end = period.bounds(office.timezone)
    found = (
        ReturnVisit.objects.filter(
            office=office, status=VisitStatus.DONE, visited_at__gte=start, visited_at__lt=end
        )
        .annotate(
            satisfied=Case(When(SATISFIED, then=True), default=False, output_field=BooleanField())
        )
        .select_related("household__unit", "work_order", "visited_by")
        .order_by(F("score").asc(nulls_last=True), "visited_at")
    )
    drill = Drill(
        [
            gettext_lazy("Visited at"),
            gettext_lazy("Kind"),
            gettext_lazy("Household"),
            gettext_lazy("Order"),
            gettext_lazy("Score"),
            gettext_lazy("Visited by"),
        ],
        count=found.count(),
    )
    for visit in found[skip : skip + LIMIT]:
        order = visit.work_order
        drill.rows.append(
            [
                Cell(when(visit.visited_at, office), reverse("visits:record", args=[visit.pk])),
                Cell(visit.get_kind_display()),
                Cell(str(visit.household.unit) if visit.household else "—"),
                _order_cell(order.pk, order.number) if order else Cell("—"),
                Cell(
                    "—" if visit.score is None else str(visit.score),
                    missed=visit.score is not None and not visit.satisfied,
                ),
                Cell(str(visit.visited_by or "")),
            ]
        )
    return drill


def complaint_visits(office: Office, period: Period, skip: int = 0) -> Drill:
    start, end = period.bounds(office.timezone)
    visited = ReturnVisit.objects.filter(
        work_order=OuterRef("pk"), kind=VisitKind.COMPLAINT, status=VisitStatus.DONE
    )
    found = (
        WorkOrder.objects.filter(
            office=office, kind=Kind.COMPLAINT, completed_at__gte=start, completed_at__lt=end
        )
        .annotate(visited=Exists(visited))
        .order_by("visited", "completed_at")
    )
    drill = Drill(
        [gettext_lazy("Order"), gettext_lazy("Completed at"), gettext_lazy("Visited back")],
        count=found.count(),
    )
    for order in found[skip : skip + LIMIT]:
        drill.rows.append(
            [
                _order_cell(order.pk, order.number),
                Cell(when(order.completed_at, office)),
                Cell(_("yes") if order.visited else _("no"), missed=not order.visited),
            ]
        )
    return drill


def common_issues(office: Office, period: Period, skip: int = 0) -> Drill:
    start, end = period.bounds(office.timezone)
    in_time = NOTICE_IN_TIME
    not_due = Q(notice__published_at__isnull=True, notice_due_at__gt=timezone.now())
    found = (
        CommonIssue.objects.filter(office=office, notice_due_at__gte=start, notice_due_at__lt=end)
        .select_related("notice")
        .order_by(  # late or unanswered first, then not due yet, then answered in time
            Case(When(in_time, then=2), When(not_due, then=1), default=0),
            "notice_due_at",
        )
    )
    drill = Drill(
        [
            gettext_lazy("Common issue"),
            gettext_lazy("Number of households"),
            gettext_lazy("Notice due"),
            gettext_lazy("Notice published"),
            gettext_lazy("Result"),
        ],
        count=found.count(),
    )
    now = timezone.now()
    for issue in found[skip : skip + LIMIT]:
        published = issue.notice.published_at if issue.notice else None
        due = issue.notice_due_at
        assert due is not None  # filtered on it
        if published is not None and published <= due:
            result, missed = _("answered in time"), False
        elif due > now and published is None:
            result, missed = _("not due yet"), False
        else:
            result, missed = _("late") if published else _("not answered"), True
        drill.rows.append(
            [
                Cell(issue.title, reverse("visits:issues") + f"?office={office.pk}"),
                Cell(str(issue.households)),
                Cell(when(due, office)),
                Cell(when(published, office)),
                Cell(result, missed=missed),
            ]
        )
    return drill


def activities(office: Office, period: Period, skip: int = 0) -> Drill:
    found = Activity.objects.filter(office=office, quarter=str(period.quarter)).order_by("held_on")
    drill = Drill(
        [gettext_lazy("Activity"), gettext_lazy("Held on"), gettext_lazy("Status")],
        count=found.count(),
    )
    for activity in found[skip : skip + LIMIT]:
        drill.rows.append(
            [
                Cell(activity.title, reverse("community:office") + f"?office={office.pk}"),
                Cell(str(activity.held_on)),
                Cell(activity.get_status_display()),
            ]
        )
    return drill


def statements(office: Office, period: Period, skip: int = 0) -> Drill:
    as_of = min(period.last, timezone.localdate())
    found = (
        with_paid_as_of(
            Statement.objects.filter(office=office, quarter=str(period.quarter)),
            end_of(as_of, office),
        )
        .annotate(paid_as_of=F("paid_then"), short=F("total") - COLLECTED)
        .select_related("unit")
        .order_by("-short", "number")
    )
    drill = Drill(
        [
            gettext_lazy("Statement"),
            gettext_lazy("Unit"),
            gettext_lazy("Billed"),
            gettext_lazy("Paid"),
            gettext_lazy("Owed"),
        ],
        count=found.count(),
    )
    for statement in found[skip : skip + LIMIT]:
        short: Decimal = statement.short
        drill.rows.append(
            [
                Cell(statement.number, reverse("billing:statement", args=[statement.pk])),
                Cell(str(statement.unit)),
                Cell(grouped(statement.total)),
                Cell(grouped(statement.paid_as_of)),
                Cell(grouped(short), missed=short > 0),
            ]
        )
    return drill


def unstaffed(office: Office, period: Period, skip: int = 0) -> Drill:
    found = gaps_until(office, period.first, period.last, timezone.now())
    drill = Drill(
        [
            gettext_lazy("Day"),
            pgettext_lazy("time of day", "From"),
            pgettext_lazy("time of day", "Until"),
            gettext_lazy("Minutes"),
        ],
        count=len(found),
    )
    roster = reverse("frontdesk:roster") + f"?office={office.pk}"
    for gap in found[skip : skip + LIMIT]:
        drill.rows.append(
            [
                Cell(str(gap.day), roster),
                Cell(f"{gap.starts_at:%H:%M}"),
                Cell(f"{gap.ends_at:%H:%M}"),
                Cell(str(gap.minutes), missed=True),
            ]
        )
    return drill


def _messages_in(office: Office, period: Period, field: str) -> Q:
    start, end = period.bounds(office.timezone)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def told(office: Office, period: Period, skip: int = 0) -> Drill:
    """Each message of an order step: when it was due, when it reached the person, by what."""
    settled = Q(due_at__lte=timezone.now() - TOLD_WITHIN) | TOLD_IN_TIME_Q
    found = (
        Message.objects.filter(office=office, kind__in=ORDER_STEP_KINDS)
        .filter(_messages_in(office, period, "due_at"), settled)
        .select_related("work_order")
        .prefetch_related("deliveries")
        .order_by(Case(When(TOLD_IN_TIME_Q, then=1), default=0), "due_at", "id")
    )
    drill = Drill(
        [
            gettext_lazy("Work order"),
            gettext_lazy("Message"),
            gettext_lazy("Due"),
            gettext_lazy("Reached"),
            gettext_lazy("Channels"),
        ],
        count=found.count(),
    )
    for message in found[skip : skip + LIMIT]:
        order = message.work_order
        due = message.due_at or message.created_at
        late = message.reached_at is None or message.reached_at > due + TOLD_WITHIN
        channels = " ".join(
            f"{d.get_channel_display()}: {d.get_state_display()}" for d in message.deliveries.all()
        )
        drill.rows.append(
            [
                _order_cell(order.pk, order.number) if order else Cell(message.name),
                Cell(message.get_kind_display()),
                Cell(when(due, office)),
                Cell(
                    when(message.reached_at, office) if message.reached_at else _("not reached"),
                    missed=late,
                ),
                Cell(channels or _("portal inbox")),
            ]
        )
    return drill


def deliveries(office: Office, period: Period, skip: int = 0) -> Drill:
    """Each delivery that is over, the failed first, with the reason."""
    found = (
        Delivery.objects.filter(message__office=office, state__in=FINISHED_STATES)
        .filter(_messages_in(office, period, "message__created_at"))
        .select_related("message__work_order")
        .order_by(Case(When(state="failed", then=0), default=1), "message__created_at", "id")
    )
    drill = Drill(
        [
            gettext_lazy("Work order"),
            gettext_lazy("Message"),
            gettext_lazy("Channel"),
            gettext_lazy("Result"),
            gettext_lazy("Reason"),
        ],
        count=found.count(),
    )
    for delivery in found[skip : skip + LIMIT]:
        order = delivery.message.work_order
        drill.rows.append(
            [
                _order_cell(order.pk, order.number) if order else Cell(delivery.message.name),
                Cell(delivery.message.get_kind_display()),
                Cell(delivery.get_channel_display()),
                Cell(delivery.get_state_display(), missed=delivery.state == "failed"),
                Cell(delivery.error),
            ]
        )
    return drill


_DRILLS: dict[str, Callable[[Office, Period, int], Drill]] = {
    "three_rings": calls,
    "unstaffed_hours": unstaffed,
    "survey_households": visits,
    "satisfaction_rate": visits,
    "satisfaction_degree": visits,
    "complaint_visits": complaint_visits,
    "common_issue_notices": common_issues,
    "told_in_time": told,
    "messages_delivered": deliveries,
    "quarterly_activity": activities,
    "collection_rate": statements,
}


def drill(key: str, office: Office, period: Period, page: int = 1) -> Drill:
    """The rows behind a figure, a page of ``LIMIT`` at a time (page 1 first)."""
    skip = (max(page, 1) - 1) * LIMIT
    found = (
        clocks(office, period, key, skip)
        if key in Rule.values
        else _DRILLS[key](office, period, skip)
    )
    found.page = max(page, 1)
    return found
