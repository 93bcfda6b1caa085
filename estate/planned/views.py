"""Pages of planned work: plans with their checklists (office managers), the planned tasks,
and a task's checklist to answer on a phone (the members of its service unit)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from estate.accounts.roles import Capability
from estate.core.permissions import office_for, staff_view
from estate.planned import actions
from estate.planned.choices import TaskStatus
from estate.planned.forms import ItemFormSet, PlanForm
from estate.planned.models import Plan, PlannedTask
from estate.planned.schedule import occurrences
from estate.timerules.clocks import calendar_for

LIMIT = 200


@staff_view(Capability.VIEW_ORDERS)
def task_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or TaskStatus.OPEN
    if status not in TaskStatus.values:
        status = TaskStatus.OPEN
    tasks = (
        PlannedTask.objects.visible_to(request.user)
        .filter(status=status)
        .select_related("plan", "equipment", "service_unit")
        .order_by("service_unit__name", "due_at", "id")[:LIMIT]
    )
    return render(
        request,
        "planned/tasks.html",
        {"tasks": tasks, "status": status, "statuses": TaskStatus.choices, "section": "planned"},
    )


def _given(request: HttpRequest, task: PlannedTask) -> dict[int, dict[str, Any]]:
    given: dict[int, dict[str, Any]] = {}
    for item in task.plan.items.all():
        prefix = f"item-{item.pk}"
        ok = request.POST.get(f"{prefix}-ok")
        given[item.pk] = {
            "ok": {"yes": True, "no": False}.get(ok or ""),
            "reading": request.POST.get(f"{prefix}-reading"),
            "note": request.POST.get(f"{prefix}-note", ""),
            "photo": request.FILES.get(f"{prefix}-photo"),
        }
    return given


@staff_view(Capability.DO_WORK)
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(
        PlannedTask.objects.visible_to(request.user, Capability.DO_WORK).select_related(
            "plan", "equipment", "service_unit"
        ),
        pk=pk,
    )
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            actions.answer_task(task, answers=_given(request, task), by=request.user)
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _("Task done."))
            return redirect("planned:task", pk=task.pk)
    items = [
        {"item": item, "error": " ".join(errors.get(f"item-{item.pk}", []))}
        for item in task.plan.items.order_by("position")
    ]
    return render(
        request,
        "planned/task.html",
        {
            "task": task,
            "items": items,
            "answers": task.answers.select_related("item", "repair_order"),
            "task_error": " ".join(errors.get("task", [])),
            "posted": request.POST,
            "section": "planned",
        },
    )


@staff_view(Capability.MANAGE_OFFICE)
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        Plan.objects.visible_to(request.user, Capability.MANAGE_OFFICE)
        .select_related("service_unit", "equipment", "route")
        .order_by("name")[:LIMIT]
    )
    return render(request, "planned/plans.html", {"plans": plans, "section": "planned"})


def _items_of(formset: Any) -> list[dict[str, Any]]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


@staff_view(Capability.MANAGE_OFFICE)
def plan_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    plan = None
    if pk is not None:
        plan = get_object_or_404(
            Plan.objects.visible_to(request.user, Capability.MANAGE_OFFICE), pk=pk
        )
        office = plan.office
    else:
        office = office_for(request, Capability.MANAGE_OFFICE)
    initial_items = [
        {"text": i.text, "kind": i.kind, "unit": i.unit, "low": i.low, "high": i.high}
        for i in (plan.items.order_by("position") if plan else [])
    ]
    form = PlanForm(request.POST or None, instance=plan, office=office)
    formset = ItemFormSet(request.POST or None, initial=initial_items, prefix="items")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            plan = actions.save_plan(
                office=office,
                by=request.user,
                fields=form.cleaned_data,
                items=_items_of(formset),
                plan=plan,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("planned:plan_edit", pk=plan.pk)
    upcoming = []
    if plan is not None and plan.is_active:
        upcoming = occurrences(
            plan, timezone.now() - timedelta(microseconds=1), 5, calendar=calendar_for(office)
        )
    return render(
        request,
        "planned/plan_form.html",
        {
            "form": form,
            "formset": formset,
            "plan": plan,
            "upcoming": upcoming,
            "office": office,
            "section": "planned",
        },
    )
