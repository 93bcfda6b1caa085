"""The phrase library page (phrases, forbidden phrases, the office's policy, hits per person) and
the check the text boxes call as staff type."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.permissions import office_for, staff_view
from estate.language import actions, guard
from estate.language.forms import CheckForm, ForbiddenPhraseForm, ModeForm, PhraseForm
from estate.language.models import ForbiddenPhrase, Phrase, PhraseHit
from estate.language.templatetags.civil import result_context
from estate.properties.models import Office


def _may_edit(request: HttpRequest, office: Office) -> bool:
    return scope_for(request.user).can(Capability.MANAGE_OFFICE, office.pk)


@staff_view()
def library(request: HttpRequest) -> HttpResponse:
    office = office_for(request, Capability.VIEW_REGISTRY)
    since = timezone.now() - timedelta(days=30)
    hits = PhraseHit.objects.filter(office=office, at__gte=since)
    context: dict[str, Any] = {
        "office": office,
        "phrases": Phrase.objects.for_office(office).filter(is_active=True),
        "forbidden": ForbiddenPhrase.objects.for_office(office).filter(is_active=True),
        "mode": guard.mode_for(office),
        "may_edit": _may_edit(request, office),
        "phrase_form": PhraseForm(),
        "forbidden_form": ForbiddenPhraseForm(),
        "mode_form": ModeForm(initial={"mode": guard.mode_for(office)}),
        "by_person": hits.values("staff_member__display_name", "staff_member__username")
        .annotate(n=Count("id"), blocked=Count("id", filter=Q(blocked=True)))
        .order_by("-n"),
        "recent": hits.select_related("staff_member", "phrase")[:50],
        "section": "language",
    }
    return render(request, "language/library.html", context)


@staff_view()
@require_POST
def change(request: HttpRequest) -> HttpResponse:
    office = office_for(request, Capability.VIEW_REGISTRY)
    if not _may_edit(request, office):
        raise Http404
    what = request.POST.get("do")
    forms_by_action = {"phrase": PhraseForm, "forbidden": ForbiddenPhraseForm, "mode": ModeForm}
    try:
        if what in forms_by_action:
            form = forms_by_action[what](request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.get_json_data())
            data = form.cleaned_data
            if what == "phrase":
                actions.add_phrase(office=office, situation=data["situation"], text=data["text"])
            elif what == "forbidden":
                actions.add_forbidden_phrase(
                    office=office, text=data["text"], situation=data["situation"]
                )
            else:
                actions.set_mode(office=office, mode=data["mode"], by=request.user)
        elif what == "retire_phrase":
            actions.retire_phrase(
                get_object_or_404(Phrase, pk=request.POST.get("pk") or 0, office=office)
            )
        elif what == "retire_forbidden":
            actions.retire_forbidden_phrase(
                get_object_or_404(ForbiddenPhrase, pk=request.POST.get("pk") or 0, office=office)
            )
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Saved."))
    return redirect(f"{reverse('language:library')}?office={office.pk}")


@staff_view()
@require_POST
def check(request: HttpRequest) -> HttpResponse:
    """The guard's verdict on a text being typed: the same partial the form shows after a refusal.
    Nothing is recorded: only texts that are saved or sent count as hits."""
    form = CheckForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    office_id = form.cleaned_data["office"]
    office = office_id if office_id in scope_for(request.user).office_ids else None
    return render(
        request, "language/_check_result.html", result_context(form.cleaned_data["text"], office)
    )
