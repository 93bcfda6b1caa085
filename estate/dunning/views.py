"""The cashier's dunning pages: one household's trail (every reminder and formal demand, with
forms to record a reminder, issue a demand and record its delivery), the demand's PDF and the
proof of its delivery. The arrears list shows each household's trail through
``dunning/_attempts_cell.html``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from estate.accounts.roles import Capability
from estate.billing.models import Statement
from estate.core import uploads
from estate.core.downloads import pdf_response
from estate.core.forms import add_errors
from estate.core.permissions import staff_view
from estate.dunning import attempts, demands
from estate.dunning.forms import AttemptForm, DeliveryForm, DemandForm
from estate.dunning.models import FormalDemand, ReminderAttempt
from estate.properties.models import Household

FEES = Capability.COLLECT_FEES


def _household(request: HttpRequest, pk: int) -> Household:
    return get_object_or_404(
        Household.objects.visible_to(request.user, FEES).select_related(
            "office", "unit__building__site"
        ),
        pk=pk,
    )


def _demand(request: HttpRequest, pk: int) -> FormalDemand:
    return get_object_or_404(
        FormalDemand.objects.visible_to(request.user, FEES).select_related("office", "household"),
        pk=pk,
    )


@staff_view(FEES)
@require_http_methods(["GET", "POST"])
def household(request: HttpRequest, pk: int) -> HttpResponse:
    found = _household(request, pk)
    forms: dict[str, Any] = {
        "attempt": AttemptForm(prefix="attempt"),
        "demand": DemandForm(prefix="demand"),
        "delivery": DeliveryForm(prefix="delivery"),
    }
    what = request.POST.get("do") if request.method == "POST" else None
    failed = False
    if what in forms:
        form = forms[what] = type(forms[what])(request.POST, request.FILES, prefix=what)
        try:
            if not form.is_valid():
                raise ValidationError("")
            data = form.cleaned_data
            if what == "attempt":
                attempts.record_attempt(
                    household=found, channel=data["channel"], result=data["result"],
                    by=request.user, at=data["at"], promised_on=data["promised_on"],
                    note=data["note"],
                    statements=demands.overdue(found, timezone.localdate()),
                )  # fmt: skip
                messages.success(request, gettext("Reminder recorded."))
            elif what == "demand":
                demand = demands.issue_formal_demand(
                    household=found, by=request.user, pay_by=data["pay_by"],
                    note=data["note"], draft=data["draft"],
                )  # fmt: skip
                messages.success(
                    request,
                    gettext("Draft printed: read it over, then issue it.")
                    if data["draft"]
                    else gettext("Formal demand %(number)s issued: print it and deliver it.")
                    % {"number": demand.number},
                )
            else:
                demand = get_object_or_404(
                    FormalDemand.objects.filter(household=found), pk=request.POST.get("demand") or 0
                )
                demands.record_delivery(
                    demand=demand, method=data["method"], by=request.user,
                    reference=data["reference"], proof=data["proof"], at=data["at"],
                    electronic_channel=data["electronic_channel"],
                )  # fmt: skip
                messages.success(request, gettext("Delivery recorded."))
            return redirect("dunning:household", found.pk)
        except ValidationError as error:
            failed = True
            if hasattr(error, "error_dict"):
                add_errors(form, error)
    elif what == "issue":
        demand = get_object_or_404(
            FormalDemand.objects.filter(household=found), pk=request.POST.get("demand") or 0
        )
        try:
            demands.issue_draft(demand=demand, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                gettext("Formal demand %(number)s issued: print it and deliver it.")
                % {"number": demand.number},
            )
        return redirect("dunning:household", found.pk)
    owed = (
        Statement.objects.filter(household=found, paid__lt=F("total"))
        .annotate(owed=F("total") - F("paid"))
        .order_by("quarter", "id")
    )
    context = {
        "household": found,
        "office": found.office,
        "owed": owed,
        "attempts": ReminderAttempt.objects.filter(household=found).select_related("by"),
        "demands": FormalDemand.objects.filter(household=found)
        .select_related("office", "issued_by", "delivery_recorded_by")
        .prefetch_related("listed__statement"),
        "forms": forms,
        "open_form": what if failed else "",
        "today": timezone.localdate(),
        "section": "billing",
    }
    return render(request, "dunning/household.html", context, status=400 if failed else 200)


@staff_view(FEES)
def demand_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    demand = _demand(request, pk)
    if not demand.pdf:
        raise Http404
    with demand.pdf.open("rb") as stored:
        return pdf_response(stored.read(), demand.number or f"draft-{demand.pk}")


@staff_view(FEES)
def demand_proof(request: HttpRequest, pk: int) -> FileResponse:
    demand = _demand(request, pk)
    if not demand.proof:
        raise Http404
    return uploads.serve(
        demand.proof, content_type=demand.proof_content_type, display_name=demand.proof_name
    )
