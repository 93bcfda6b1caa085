"""Front-desk pages: the console, requester look-up, the contact log, the service catalogue, referrals."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.filters import apply_filter
from estate.core.htmx import render_page
from estate.core.pagination import keyset_page
from estate.core.permissions import office_for, staff_view
from estate.core.phones import whole_number
from estate.core.search import text_filter
from estate.frontdesk import actions
from estate.frontdesk import intake as intake_module
from estate.frontdesk.choices import Channel, Outcome
from estate.frontdesk.forms import ConfirmReferralForm
from estate.frontdesk.measures import three_ring_rate
from estate.frontdesk.models import Contact, Referral, ServiceItem
from estate.messaging.choices import DeliveryState
from estate.messaging.models import Delivery
from estate.notices.affected import by_building as interruptions_by_building
from estate.properties.actions import residents_by_number
from estate.properties.models import Household, Resident, Unit
from estate.timerules.choices import ClockState, Rule
from estate.timerules.models import Clock
from estate.workorders.channels import entered_through
from estate.workorders.choices import OPEN_STATUSES, Kind, Status
from estate.workorders.models import WorkOrder
from estate.workorders.views import desk_offices


@staff_view(Capability.RUN_DESK)
def console(request: HttpRequest) -> HttpResponse:
    """Log a call or visit in seconds; open the order or referral it leads to on the same screen."""
    office = office_for(request, Capability.RUN_DESK)
    if request.method == "POST":
        intake = intake_module.take(
            office, request.user, request.POST, channel=entered_through(request), prefixed=True
        )
        if intake.contact is not None:
            if intake.contact.outcome == Outcome.ADDED_TO_ORDER and intake.order is not None:
                messages.success(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        gettext("Contact logged and added to the open order"),
                        reverse("workorders:detail", args=[intake.order.pk]),
                        intake.order.number,
                    ),
                )
            elif intake.order is not None:
                link = reverse("workorders:detail", args=[intake.order.pk])
                messages.success(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        gettext("Contact logged; work order opened:"),
                        link,
                        intake.order.number,
                    ),
                )
            elif intake.referral is not None:
                messages.success(
                    request,
                    gettext("Contact logged and referred to %(department)s.")
                    % {"department": intake.referral.department.name},
                )
            else:
                messages.success(request, gettext("Contact logged."))
            return redirect(f"{reverse('frontdesk:console')}?office={office.pk}")
    else:
        intake = intake_module.blank_intake(office)
    context = {
        "office": office,
        "offices": scope_for(request.user).offices,
        "desk_office_ids": desk_offices(request.user),
        "form": intake.contact_form,
        "order_form": intake.order_form,
        "referral_form": intake.referral_form,
        "duplicates": intake.duplicates,
        "today": _today_at_desk(office),
        "section": "desk",
    }
    return render(
        request, "frontdesk/console.html", context, status=400 if request.method == "POST" else 200
    )


def _today_at_desk(office: Any) -> dict[str, Any]:
    now = timezone.localtime()
    start = timezone.make_aware(datetime.combine(now.date(), time.min))
    contacts = list(
        Contact.objects.filter(office=office, received_at__gte=start)
        .select_related("unit", "requester", "taken_by")
        .prefetch_related("work_orders__assignee", "work_orders__service_unit")
        .order_by("-received_at")[:20]
    )
    return {
        "contacts": contacts,
        "to_dispatch": waiting_for_dispatch(office),
        "unreached": unreached_count(office),
        "rings": three_ring_rate(office.pk, start, start + timedelta(days=1)),
    }


def unreached_count(office: Any) -> int:
    """Requesters a message could not reach, whom the desk has not followed up yet."""
    return Delivery.objects.filter(
        message__office=office, state=DeliveryState.FAILED, settled_at__isnull=True
    ).count()


def waiting_for_dispatch(office: Any, limit: int = 20) -> list[WorkOrder]:
    """The office's orders nobody has dispatched yet (online requests, complaints left without a
    handler, orders handed back), oldest first, each with ``dispatch_due``: when its dispatch
    rule falls due (None when no rule runs for it)."""
    due = Clock.objects.filter(
        work_order=OuterRef("pk"),
        rule__in=[Rule.ONLINE_DISPATCH, Rule.COMPLAINT_DISPATCH],
        state__in=[ClockState.RUNNING, ClockState.BREACHED],
        met_at__isnull=True,
    ).order_by("due_at")
    return list(
        WorkOrder.objects.filter(office=office, status__in=[Status.NEW, Status.REOPENED])
        .select_related("unit", "contact")
        .annotate(dispatch_due=Subquery(due.values("due_at")[:1]))
        .order_by("opened_at", "id")[:limit]
    )


@staff_view(Capability.RUN_DESK)
@require_POST
def lookup(request: HttpRequest) -> HttpResponse:
    """Requesters as you type: by unit address (3-1202), name or phone digits, with households
    and open orders. Posted, so that a number typed is in no URL (nor in any log of one)."""
    query = request.POST.get("q", "").strip()
    office_ids = scope_for(request.user).office_ids_with(Capability.RUN_DESK)
    office = request.POST.get("office")
    if office and office.isdigit() and int(office) in office_ids:
        office_ids = frozenset({int(office)})
    units: list[Unit] = []
    if len(query) >= 1:
        by_number = residents_by_number(query, viewer=request.user)
        people = Resident.objects.filter(office_id__in=office_ids).filter(
            text_filter(query, ["name"]) | Q(pk__in=by_number)
        )
        units = list(
            Unit.objects.filter(office_id__in=office_ids)
            .filter(Q(address__istartswith=query) | Q(households__residents__in=people))
            .distinct()
            .select_related("building")
            .prefetch_related(
                Prefetch(
                    "households",
                    queryset=Household.objects.current().prefetch_related(
                        Prefetch(
                            "residents", queryset=Resident.objects.order_by("-is_primary", "name")
                        )
                    ),
                    to_attr="current_households",
                ),
                Prefetch(
                    "work_orders",
                    queryset=WorkOrder.objects.filter(status__in=OPEN_STATUSES).order_by("-id"),
                    to_attr="open_orders",
                ),
            )
            .annotate(contact_count=Count("contacts", distinct=True))
            .order_by("sort_key", "id")[:8]
        )
        soon = interruptions_by_building(units, timezone.now())
        for unit in units:
            unit.interruptions = soon.get(unit.building_id, [])  # type: ignore[attr-defined]
    return render(request, "frontdesk/_lookup.html", {"units": units, "query": query})


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices)
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=Outcome.choices)
    agitated = django_filters.BooleanFilter(label=_("Visitor agitated"))
    received_after = django_filters.DateFilter(
        label=_("From"), field_name="received_at", lookup_expr="date__gte"
    )
    received_before = django_filters.DateFilter(
        label=_("Until"), field_name="received_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Contact
        fields = ["q", "channel", "kind", "outcome", "agitated"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(
            text_filter(
                value, ["intent", "notes", "caller_name", "requester__name", "unit__address"]
            )
            | Q(caller_phone=whole_number(value) or "-")
        )


@staff_view(Capability.RUN_DESK)
def contacts(request: HttpRequest) -> HttpResponse:
    queryset = (
        Contact.objects.visible_to(request.user)
        .select_related("unit", "requester", "taken_by", "office")
        .prefetch_related("work_orders__assignee", "work_orders__service_unit")
    )
    filterset = apply_filter(ContactFilter, request, queryset)
    page = keyset_page(filterset.qs, filterset.link_params)
    context = {"filter": filterset, "page": page, "section": "contacts"}
    return render_page(request, "frontdesk/contacts.html", context, partial="results")


@staff_view()
def catalogue(request: HttpRequest) -> HttpResponse:
    items = (
        ServiceItem.objects.visible_to(request.user)
        .filter(is_active=True)
        .select_related("service_unit", "office")
        .order_by("office_id", "kind", "name")
    )
    return render(request, "frontdesk/catalogue.html", {"items": items, "section": "catalogue"})


def handout(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-time notification (一次性告知) for a service item: A4 when printed, readable on a phone.

    Public on purpose: the desk hands it out or sends the link, and residents read it
    before coming; it holds nothing personal.
    """
    item = get_object_or_404(
        ServiceItem.objects.select_related("office", "service_unit"), pk=pk, is_active=True
    )
    articles = item.articles.filter(is_public=True, is_active=True).prefetch_related("attachments")
    return render(request, "frontdesk/handout.html", {"item": item, "articles": articles})


@staff_view(Capability.RUN_DESK)
def referrals(request: HttpRequest) -> HttpResponse:
    items = (
        Referral.objects.visible_to(request.user)
        .select_related("department", "referred_by", "contact__unit", "office")
        .order_by("confirmed_at", "-referred_at")[:200]
    )
    return render(
        request,
        "frontdesk/referrals.html",
        {"items": items, "form": ConfirmReferralForm(), "section": "referrals"},
    )


@staff_view(Capability.RUN_DESK)
@require_POST
def confirm_referral(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(Referral.objects.visible_to(request.user), pk=pk)
    form = ConfirmReferralForm(request.POST)
    if form.is_valid():
        try:
            actions.confirm_referral(
                referral,
                confirmed_by=form.cleaned_data["confirmed_by"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("Referral confirmed."))
    else:
        messages.error(request, gettext("Say who at the department confirmed it."))
    return redirect("frontdesk:referrals")
