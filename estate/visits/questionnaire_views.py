"""Questionnaire pages: the office's rounds, writing one, the summary for leadership, typing in a
paper answer, and the public answer page reached through an invitation's own link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.forms import add_errors
from estate.core.permissions import office_for, staff_view
from estate.visits import questionnaires
from estate.visits.forms import QuestionnaireAnswerForm, QuestionnaireForm
from estate.visits.models import Invitation, Questionnaire


def _may_write(request: HttpRequest, office_id: int) -> bool:
    return scope_for(request.user).can(Capability.MANAGE_OFFICE, office_id)


@staff_view(Capability.VIEW_ALL_ORDERS)
@require_http_methods(["GET", "POST"])
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    office = office_for(request, Capability.VIEW_ALL_ORDERS)
    may_write = _may_write(request, office.pk)
    initial = {"opens_on": timezone.localdate()}
    form = QuestionnaireForm(request.POST or None, office=office, initial=initial)
    if request.method == "POST":
        if not may_write:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                round_ = questionnaires.create_questionnaire(
                    office=office,
                    title=data["title"],
                    intro=data["intro"],
                    questions=form.questions(),
                    departments=list(data["departments"]),
                    service_units=list(data["service_units"]),
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    repeat=data["repeat"],
                    by=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, gettext("Questionnaire created."))
                return redirect("visits:questionnaire", round_.pk)
    rounds = (
        Questionnaire.objects.visible_to(request.user)
        .filter(office=office)
        .annotate(
            invited=Count("invitations"),
            answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False)),
        )
        .order_by("-opens_on", "-id")[:100]
    )
    context: dict[str, Any] = {
        "office": office,
        "rounds": rounds,
        "form": form,
        "may_write": may_write,
        "today": timezone.localdate(),
        "section": "visits",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "visits/questionnaires.html", context, status=status)


@staff_view(Capability.VIEW_ALL_ORDERS)
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(
        Questionnaire.objects.visible_to(request.user).select_related("office", "previous"), pk=pk
    )
    invitations = round_.invitations.select_related(
        "department", "service_unit", "recorded_by"
    ).order_by("answered_at", "id")
    context = {
        "round": round_,
        "summary": questionnaires.summarize(round_),
        "invitations": invitations,
        "may_write": _may_write(request, round_.office_id),
        "is_open": round_.opens_on <= timezone.localdate() <= round_.closes_on,
        "section": "visits",
    }
    return render(request, "visits/questionnaire.html", context)


def _answer(request: HttpRequest, invitation: Invitation, *, recorded_by: Any) -> HttpResponse:
    round_ = invitation.questionnaire
    questions = list(round_.questions.all())
    form = QuestionnaireAnswerForm(request.POST or None, questions=questions)
    refused = ""
    today = timezone.localdate()
    if invitation.answered_at is not None:
        refused = gettext("This questionnaire has already been answered. Thank you.")
    elif today > round_.closes_on:
        refused = gettext("This questionnaire closed on %(day)s.") % {
            "day": round_.closes_on.isoformat()
        }
    elif today < round_.opens_on:
        refused = gettext("This questionnaire opens on %(day)s.") % {
            "day": round_.opens_on.isoformat()
        }
    elif request.method == "POST" and form.is_valid():
        try:
            questionnaires.answer_questionnaire(
                invitation,
                respondent=form.cleaned_data["respondent"],
                answers=form.answers(),
                recorded_by=recorded_by,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if recorded_by is not None:
                messages.success(request, gettext("Answers recorded."))
                return redirect("visits:questionnaire", round_.pk)
            return render(request, "visits/answered.html", {"round": round_})
    context = {
        "round": round_,
        "invitation": invitation,
        "form": form,
        "refused": refused,
        "staff": recorded_by is not None,
        "section": "visits",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "visits/answer_questionnaire.html", context, status=status)


@staff_view(Capability.RUN_DESK)
@require_http_methods(["GET", "POST"])
def record_paper_answer(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user).select_related("questionnaire"), pk=pk
    )
    return _answer(request, invitation, recorded_by=request.user)


@require_http_methods(["GET", "POST"])
def answer_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invited department or service unit opens from its link; no sign-in needed."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("questionnaire__office", "department", "service_unit"),
        token=token,
    )
    return _answer(request, invitation, recorded_by=None)
