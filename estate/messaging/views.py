"""Staff pages of messages to requesters: the desk's list of people not reached, and the
office's message templates (edited with a preview)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.forms import add_errors
from estate.core.permissions import office_for, safe_next, staff_view
from estate.messaging import actions, texts
from estate.messaging.choices import (
    DESK_CONSENT_CHANNELS,
    DESK_CONSENT_SOURCES,
    SMS_ONLY_KINDS,
    Channel,
    DeliveryState,
    Kind,
)
from estate.messaging.forms import MessageTemplateForm, SettleForm
from estate.messaging.models import Delivery, MessageTemplate
from estate.properties.models import Resident


@staff_view(Capability.RUN_DESK)
def unreached(request: HttpRequest) -> HttpResponse:
    office = office_for(request, Capability.RUN_DESK)
    failed = (
        Delivery.objects.filter(
            message__office=office, state=DeliveryState.FAILED, settled_at__isnull=True
        )
        .select_related("message__work_order__unit", "message__resident")
        .order_by("-message__created_at")[:200]
    )
    return render(
        request,
        "messaging/unreached.html",
        {"office": office, "failed": failed, "form": SettleForm(), "section": "unreached"},
    )


@staff_view(Capability.RUN_DESK)
@require_POST
def settle(request: HttpRequest, pk: int) -> HttpResponse:
    office = office_for(request, Capability.RUN_DESK)
    delivery = get_object_or_404(Delivery, pk=pk, message__office=office)
    form = SettleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        actions.settle_unreached(delivery=delivery, note=form.cleaned_data["note"], by=request.user)
        messages.success(request, gettext("Followed up."))
    except ValidationError as refused:
        for problem in refused.messages:
            messages.error(request, problem)
    return redirect(f"{reverse('messaging:unreached')}?office={office.pk}")


@staff_view(Capability.RUN_DESK)
@require_POST
def desk_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """A resident's yes or no to texts or email, as they told the desk."""
    resident = get_object_or_404(Resident.objects.visible_to(request.user), pk=pk)
    if not scope_for(request.user).can(Capability.RUN_DESK, resident.office_id):
        raise PermissionDenied
    channel, source = request.POST.get("channel", ""), request.POST.get("source", "")
    granted = request.POST.get("granted") == "yes"
    if channel not in DESK_CONSENT_CHANNELS or source not in DESK_CONSENT_SOURCES:
        messages.error(request, gettext("Choose the channel and how the resident said so."))
    else:
        actions.record_consent(
            resident=resident, channel=channel, granted=granted, source=source, by=request.user
        )
        said = (
            gettext("Recorded: %(name)s agrees to %(channel)s.")
            if granted
            else gettext("Recorded: %(name)s no longer wants %(channel)s.")
        )
        messages.success(request, said % {"name": resident.name, "channel": Channel(channel).label})
    home = resident.household.unit_id if resident.household is not None else None
    fallback = reverse("properties:unit_detail", args=[home]) if home else reverse("home")
    return redirect(safe_next(request, fallback=fallback))


def _rows(office: Any) -> list[dict[str, Any]]:
    own = {(t.kind, t.language): t for t in MessageTemplate.objects.filter(office=office)}
    rows = []
    for kind in Kind:
        if kind in SMS_ONLY_KINDS:
            continue
        for language in texts.LANGUAGES:
            mine = own.get((kind.value, language))
            rows.append(
                {
                    "kind": kind,
                    "language": language,
                    "text": mine.text if mine else texts.default_text(kind, language),
                    "own": mine is not None,
                }
            )
    return rows


@staff_view()
def templates(request: HttpRequest) -> HttpResponse:
    office = office_for(request, Capability.VIEW_REGISTRY)
    return render(
        request,
        "messaging/templates.html",
        {
            "office": office,
            "rows": _rows(office),
            "may_edit": scope_for(request.user).can(Capability.MANAGE_OFFICE, office.pk),
            "section": "message_templates",
        },
    )


@staff_view(Capability.MANAGE_OFFICE)
@require_http_methods(["GET", "POST"])
def edit_template(request: HttpRequest, kind: str, language: str) -> HttpResponse:
    office = office_for(request, Capability.MANAGE_OFFICE)
    if kind not in texts.DEFAULTS or language not in texts.LANGUAGES:
        raise Http404
    current = texts.template_text(office.pk, kind, language)
    form = MessageTemplateForm(request.POST or None, initial={"text": current})
    preview = texts.render(current, texts.sample_values(kind), language)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            if request.POST.get("do") == "reset":
                actions.reset_template(office=office, kind=kind, language=language)
                messages.success(request, gettext("Back to estate's words."))
                return redirect(f"{_templates_url()}?office={office.pk}")
            texts.check(kind, text)
            preview = texts.render(text, texts.sample_values(kind), language)
            if request.POST.get("do") == "save":
                actions.save_template(
                    office=office, kind=kind, language=language, text=text, by=request.user
                )
                messages.success(request, gettext("Saved."))
                return redirect(f"{_templates_url()}?office={office.pk}")
        except ValidationError as refused:
            add_errors(form, refused)
    return render(
        request,
        "messaging/edit_template.html",
        {
            "office": office,
            "kind": Kind(kind),
            "language": language,
            "form": form,
            "preview": preview,
            "placeholders": texts.explained(kind),
            "section": "message_templates",
        },
    )


def _templates_url() -> str:
    return reverse("messaging:templates")
