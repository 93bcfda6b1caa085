"""Return-visit pages: my visits, recording one, unanswered items, and the month's figures."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.forms import add_errors
from estate.core.permissions import office_for, staff_view
from estate.notices.models import Notice
from estate.visits import actions, common
from estate.visits.choices import VisitStatus
from estate.visits.forms import AnswerForm, MonthForm, VisitForm
from estate.visits.measures import measures, visits_in
from estate.visits.models import CommonIssue, CommonIssueMember, OpinionItem, ReturnVisit


def _month(request: HttpRequest) -> date:
    form = MonthForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["month"].replace(day=1)
    return timezone.localdate().replace(day=1)


@staff_view(Capability.RECORD_VISITS)
def my_visits(request: HttpRequest) -> HttpResponse:
    visits = (
        ReturnVisit.objects.visible_to(request.user)
        .filter(status=VisitStatus.OPEN)
        .select_related("work_order", "household__unit", "assigned_to")
    )
    if not scope_for(request.user).can(Capability.MANAGE_OFFICE):
        visits = visits.filter(assigned_to_id=request.user.pk)
    context = {
        "visits": visits.order_by("due_at", "id")[:200],
        "now": timezone.now(),
        "section": "visits",
    }
    return render(request, "visits/list.html", context)


@staff_view(Capability.RECORD_VISITS)
def record(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(
        ReturnVisit.objects.visible_to(request.user).select_related(
            "work_order", "household__unit"
        ),
        pk=pk,
    )
    replies_to = visit.work_order if actions.reply_awaited(visit) else None
    form = VisitForm(request.POST or None, replies_to=replies_to)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_visit(
                visit,
                by=request.user,
                channel=data["channel"],
                reached=data["reached"],
                score=data["score"],
                comments=data["comments"],
                items=form.items(),
                reply=data.get("reply", ""),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("Return visit recorded."))
            return redirect("visits:list")
    residents = visit.household.residents.all() if visit.household else []
    context = {
        "visit": visit,
        "order": visit.work_order,
        "form": form,
        "residents": residents,
        "can_reveal": True,  # whoever records the visit may dial it (audited)
        "reveal_for_visit": visit.pk,
        "section": "visits",
    }
    return render(
        request, "visits/record.html", context, status=400 if request.method == "POST" else 200
    )


def _items_page(request: HttpRequest, failed: tuple[int, AnswerForm] | None = None) -> HttpResponse:
    pending = (
        OpinionItem.objects.visible_to(request.user)
        .filter(answered_at__isnull=True)
        .select_related("visit__household__unit", "visit__work_order")
        .order_by("raised_at")[:300]
    )
    context = {
        "items": pending,
        "office": office_for(request, Capability.VIEW_ALL_ORDERS),
        "failed_item": failed[0] if failed else None,
        "failed_form": failed[1] if failed else None,
        "section": "visits",
    }
    return render(request, "visits/items.html", context, status=400 if failed else 200)


@staff_view(Capability.VIEW_ALL_ORDERS)
def items(request: HttpRequest) -> HttpResponse:
    return _items_page(request)


@staff_view(Capability.RUN_DESK)
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the answer to one item; a refused answer comes back with what was typed."""
    item = get_object_or_404(OpinionItem.objects.visible_to(request.user), pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            actions.answer_item(item, by=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("Answer recorded."))
            return redirect("visits:items")
    return _items_page(request, failed=(item.pk, form))


@staff_view(Capability.VIEW_ALL_ORDERS)
def month(request: HttpRequest) -> HttpResponse:
    office = office_for(request, Capability.VIEW_ALL_ORDERS)
    which = _month(request)
    figures = measures(office, which)
    visits = (
        visits_in(office, which)
        .select_related("household__unit", "work_order", "visited_by")
        .order_by("visited_at")
    )
    context: dict[str, Any] = {
        "office": office,
        "figures": figures,
        "visits": visits[:500],
        "month_value": which.strftime("%Y-%m"),
        "can_plan": scope_for(request.user).can(Capability.MANAGE_OFFICE, office.pk),
        "section": "visits",
    }
    return render(request, "visits/month.html", context)


@staff_view(Capability.MANAGE_OFFICE)
@require_POST
def plan(request: HttpRequest) -> HttpResponse:
    office = office_for(request, Capability.MANAGE_OFFICE)
    which = _month(request) if request.GET else timezone.localdate().replace(day=1)
    try:
        survey = actions.plan_month(office=office, month=which, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("Survey plan for %(month)s: %(count)d households.")
            % {"month": which.strftime("%Y-%m"), "count": survey.visits.count()},
        )
    return redirect(f"{reverse('visits:month')}?office={office.pk}&month={which:%Y-%m}")


@staff_view(Capability.VIEW_ALL_ORDERS)
def issues(request: HttpRequest) -> HttpResponse:
    """Common issues of the user's offices: households, the notice due, and the members behind them."""
    found = (
        CommonIssue.objects.visible_to(request.user)
        .select_related("notice", "office")
        .prefetch_related("members__household__unit")
        .order_by("notice_id", "-households", "-id")[:100]
    )
    notices = Notice.objects.visible_to(request.user).filter(published_at__isnull=False)[:50]
    return render(
        request,
        "visits/issues.html",
        {"issues": found, "notices": notices, "now": timezone.now(), "section": "visits"},
    )


@staff_view(Capability.RUN_DESK)
@require_POST
def issue_action(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(CommonIssue.objects.visible_to(request.user), pk=pk)
    what = request.POST.get("do")
    if what == "merge":
        other = get_object_or_404(
            CommonIssue.objects.visible_to(request.user), pk=request.POST.get("other") or 0
        )
        if other.office_id == issue.office_id and other.pk != issue.pk:
            common.merge(issue, other, by=request.user)
    elif what == "split":
        member = get_object_or_404(
            CommonIssueMember, pk=request.POST.get("member") or 0, issue=issue
        )
        common.split(member, by=request.user)
    elif what == "home_visits":
        try:
            visits = common.arrange_home_visits(issue, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, gettext("%(count)d home visits arranged.") % {"count": len(visits)}
            )
    elif what == "answer":
        notice = get_object_or_404(
            Notice.objects.visible_to(request.user), pk=request.POST.get("notice") or 0
        )
        common.answer_with_notice(issue, notice)
    return redirect("visits:issues")


@staff_view(Capability.RUN_DESK)
@require_POST
def regroup(request: HttpRequest) -> HttpResponse:
    common.regroup(office_for(request, Capability.RUN_DESK))
    messages.success(request, gettext("Common issues regrouped."))
    return redirect("visits:issues")
