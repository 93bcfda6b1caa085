"""Common issues (R-A4.4): group what households raised in the last 30 days; once five households
share a matter, a written notice is due within a week."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from estate.accounts.people import people_with_role
from estate.accounts.roles import Role
from estate.core.locks import hold
from estate.notifications.actions import notify
from estate.notifications.messages import Message
from estate.properties.models import Household, Office
from estate.visits.choices import VisitKind, VisitStatus
from estate.visits.grouping import Entry, group
from estate.visits.models import CommonIssue, CommonIssueMember, OpinionItem, ReturnVisit
from estate.workorders.choices import Kind
from estate.workorders.models import WorkOrder

WINDOW = timedelta(days=30)
COMMON_AT = 5  # households
NOTICE_WITHIN = timedelta(days=7)


def _recent(office: Office, now: datetime) -> list[CommonIssueMember]:
    """Unsaved members for the complaints and opinion items of the last 30 days."""
    since = now - WINDOW
    found = [
        CommonIssueMember(
            work_order=order,
            household=order.requester.household if order.requester else None,
            text=order.description,
            raised_at=order.opened_at,
        )
        for order in WorkOrder.objects.filter(
            office=office, kind=Kind.COMPLAINT, opened_at__gte=since
        ).select_related("requester__household__unit__building", "unit__building")
    ]
    found += [
        CommonIssueMember(
            item=item, household=item.visit.household, text=item.text, raised_at=item.raised_at
        )
        for item in OpinionItem.objects.filter(office=office, raised_at__gte=since).select_related(
            "visit__household__unit__building"
        )
    ]
    return found


def _building(member: CommonIssueMember) -> str:
    if member.household is not None:
        return member.household.unit.building.code
    if member.work_order is not None and member.work_order.unit is not None:
        return member.work_order.unit.building.code
    return ""


def regroup(office: Office, now: datetime | None = None) -> list[CommonIssue]:
    """Group the last 30 days again. Staff-placed (pinned) members stay where staff put them; every
    other member follows the grouping. Groups of one household are not kept. Safe to re-run."""
    now = now or timezone.now()
    with transaction.atomic():
        hold(f"common-issues:{office.pk}")  # two schedulers regroup one office in turn
        pinned_orders = set(
            CommonIssueMember.objects.filter(
                issue__office=office, pinned=True, work_order__isnull=False
            ).values_list("work_order_id", flat=True)
        )
        pinned_items = set(
            CommonIssueMember.objects.filter(
                issue__office=office, pinned=True, item__isnull=False
            ).values_list("item_id", flat=True)
        )
        candidates = [
            m
            for m in _recent(office, now)
            if m.work_order_id not in pinned_orders and m.item_id not in pinned_items
        ]
        previous = {
            (m.work_order_id, m.item_id): m.issue_id
            for m in CommonIssueMember.objects.filter(issue__office=office, pinned=False)
        }
        CommonIssueMember.objects.filter(issue__office=office, pinned=False).delete()
        clusters: dict[int, list[CommonIssueMember]] = {}
        for member, number in zip(
            candidates,
            group([Entry(text=m.text, building=_building(m)) for m in candidates]),
            strict=True,
        ):
            clusters.setdefault(number, []).append(member)
        for members in clusters.values():
            if len({m.household_id or ("member", id(m)) for m in members}) < 2:
                continue
            earlier = Counter(
                previous.get((m.work_order_id, m.item_id)) for m in members
            ) - Counter({None: 10**9})
            issue_id = earlier.most_common(1)[0][0] if earlier else None
            issue = (
                CommonIssue.objects.get(pk=issue_id)
                if issue_id
                else CommonIssue.objects.create(
                    office=office, title=min(members, key=lambda m: len(m.text)).text[:100]
                )
            )
            for member in members:
                member.issue = issue
            CommonIssueMember.objects.bulk_create(members)
        issues = list(CommonIssue.objects.filter(office=office, notice__isnull=True))
        for issue in issues:
            _count(issue, now)
        CommonIssue.objects.filter(
            office=office, members__isnull=True, notice__isnull=True
        ).delete()
    return [issue for issue in issues if issue.pk and issue.households]


def _count(issue: CommonIssue, now: datetime) -> None:
    households = (
        issue.members.filter(raised_at__gte=now - WINDOW)
        .exclude(household__isnull=True)
        .values("household")
        .distinct()
        .count()
    )
    changes: dict[str, Any] = {"households": households}
    if households >= COMMON_AT and issue.notice_due_at is None:
        changes["notice_due_at"] = now + NOTICE_WITHIN
    CommonIssue.objects.filter(pk=issue.pk).update(**changes)
    for field, value in changes.items():
        setattr(issue, field, value)
    if "notice_due_at" in changes:
        notify(
            office_id=issue.office_id,
            recipients=people_with_role(issue.office, Role.HEAD)
            + people_with_role(issue.office, Role.MANAGER),
            kind="common_issue",
            text=Message(
                gettext_lazy(
                    "%(count)d households raised “%(title)s”: answer with a lobby notice by %(due)s."
                ),
                {
                    "count": households,
                    "title": issue.title,
                    "due": timezone.localtime(changes["notice_due_at"]).strftime("%m-%d"),
                },
            ),
            link=reverse("visits:issues"),
            dedup_key=f"issue:{issue.pk}:common",
        )


def merge(target: CommonIssue, other: CommonIssue, *, by: Any) -> CommonIssue:
    """Staff decide two groups are one matter: the members move and stay put on regrouping."""
    with transaction.atomic():
        other.members.update(issue=target, pinned=True)
        target.members.update(pinned=True)
        other.delete()
        _count(target, timezone.now())
    return target


def split(member: CommonIssueMember, *, by: Any) -> CommonIssue:
    """Staff decide a member is another matter: it gets a group of its own, pinned."""
    with transaction.atomic():
        alone = CommonIssue.objects.create(
            office_id=member.issue.office_id, title=member.text[:100]
        )
        old = member.issue
        CommonIssueMember.objects.filter(pk=member.pk).update(issue=alone, pinned=True)
        _count(old, timezone.now())
        _count(alone, timezone.now())
    return alone


def answer_with_notice(issue: CommonIssue, notice: Any) -> CommonIssue:
    CommonIssue.objects.filter(pk=issue.pk).update(notice=notice)
    issue.refresh_from_db()
    return issue


def sweep_overdue(now: datetime) -> int:
    """Tell the head, once, of common issues whose week passed without a notice."""
    late = 0
    for issue in CommonIssue.objects.filter(
        notice__isnull=True, notice_due_at__lte=now, overdue_notified_at__isnull=True
    ).select_related("office"):
        with transaction.atomic():
            if CommonIssue.objects.filter(pk=issue.pk, overdue_notified_at__isnull=True).update(
                overdue_notified_at=now
            ):
                notify(
                    office_id=issue.office_id,
                    recipients=people_with_role(issue.office, Role.HEAD),
                    kind="clock_breach",
                    text=Message(
                        gettext_lazy(
                            "No notice yet for the common issue “%(title)s” (due %(due)s)."
                        ),
                        {
                            "title": issue.title,
                            "due": timezone.localtime(issue.notice_due_at).strftime("%m-%d"),
                        },
                    ),
                    link=reverse("visits:issues"),
                    dedup_key=f"issue:{issue.pk}:late",
                )
                late += 1
    return late


HOME_VISIT_WITHIN = timedelta(days=3)


def arrange_home_visits(issue: CommonIssue, *, by: Any) -> list[ReturnVisit]:
    """A prominent issue of a few households: a manager visits each of them at home (R-A4.4).
    Households that already have an open home visit about it are not given a second one."""
    managers = people_with_role(issue.office, Role.MANAGER) or people_with_role(
        issue.office, Role.HEAD
    )
    if not managers:
        raise ValidationError(_("The office has no manager to send."))
    households = [
        household
        for household in Household.objects.filter(
            id__in=issue.members.exclude(household__isnull=True).values("household")
        ).order_by("id")
        if not ReturnVisit.objects.filter(
            household=household, kind=VisitKind.HOME, status=VisitStatus.OPEN
        ).exists()
    ]
    due = timezone.now() + HOME_VISIT_WITHIN
    visits = ReturnVisit.objects.bulk_create(
        ReturnVisit(
            office_id=issue.office_id,
            kind=VisitKind.HOME,
            household=household,
            assigned_to=managers[index % len(managers)],
            due_at=due,
        )
        for index, household in enumerate(households)
    )
    notify(
        office_id=issue.office_id,
        recipients=managers,
        kind="home_visit",
        text=Message(
            gettext_lazy("Home visits about “%(title)s”: %(count)d households by %(due)s."),
            {
                "title": issue.title,
                "count": len(visits),
                "due": timezone.localtime(due).strftime("%m-%d"),
            },
        ),
        link=reverse("visits:list"),
    )
    return visits
