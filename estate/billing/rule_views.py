"""The fee-rule pages: late-fee rules and the developer; vacancy applications (apply, inspect,
approve or reject); deposits (receive, ask for a refund, approve); waiving a late fee. Thin:
every write is an action of ``fee_rules``, ``vacancy`` or ``deposits``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.billing import deposits, fee_rules, vacancy
from estate.billing.choices import LineKind, RefundStatus, VacancyStatus
from estate.billing.models import (
    Deposit,
    DepositRefund,
    Developer,
    LateFeeRule,
    Statement,
    StatementLine,
    VacancyApplication,
)
from estate.billing.rule_forms import (
    DepositForm,
    DepositRefundForm,
    DeveloperForm,
    LateFeeRuleForm,
    VacancyForm,
    household_of,
)
from estate.core.forms import add_errors
from estate.core.permissions import office_for, require_capability, staff_view

FEES = Capability.COLLECT_FEES
HEAD = Capability.APPROVE_REFUNDS


def _back(name: str, office: Any) -> HttpResponse:
    return redirect(f"{reverse(name)}?office={office.pk}")


def _refused(request: HttpRequest, error: ValidationError, form: forms.Form | None = None) -> None:
    if form is not None:
        add_errors(form, error)
    else:
        messages.error(request, " ".join(error.messages))


@staff_view(FEES)
@require_http_methods(["GET", "POST"])
def late_fees(request: HttpRequest) -> HttpResponse:
    """The office's late-fee rules and its developer; changing them is the office's settings."""
    office = office_for(request, FEES)
    developer = Developer.objects.filter(office=office).first()
    rule_form = LateFeeRuleForm(office=office, prefix="rule")
    developer_form = DeveloperForm(
        prefix="developer",
        initial={"name": developer.name, "contact": developer.contact} if developer else {},
    )
    failed = False
    if request.method == "POST":
        require_capability(request.user, Capability.MANAGE_OFFICE, office.pk)
        try:
            if request.POST.get("do") == "developer":
                developer_form = DeveloperForm(request.POST, prefix="developer")
                if not developer_form.is_valid():
                    raise ValidationError("")
                fee_rules.set_developer(office=office, **developer_form.cleaned_data)
            else:
                rule_form = LateFeeRuleForm(request.POST, office=office, prefix="rule")
                if not rule_form.is_valid():
                    raise ValidationError("")
                fee_rules.save_late_fee_rule(office=office, **rule_form.cleaned_data)
            messages.success(request, gettext("Saved."))
            return _back("billing:late_fees", office)
        except ValidationError as error:
            failed = True
            if hasattr(error, "error_dict"):
                add_errors(
                    developer_form if request.POST.get("do") == "developer" else rule_form, error
                )
    context = {
        "office": office,
        "rules": LateFeeRule.objects.filter(office=office).select_related("fee_item"),
        "developer": developer,
        "rule_form": rule_form,
        "developer_form": developer_form,
        "can_change": scope_for(request.user).can(Capability.MANAGE_OFFICE, office.pk),
        "section": "billing",
    }
    return render(request, "billing/late_fees.html", context, status=400 if failed else 200)


@staff_view(HEAD)
@require_POST
def waive(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(
        StatementLine.objects.filter(
            statement__in=Statement.objects.visible_to(request.user, HEAD),
            kind=LineKind.LATE_FEE,
        ).select_related("statement"),
        pk=pk,
    )
    try:
        fee_rules.waive_late_fee(line, reason=request.POST.get("reason", ""), by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, gettext("Late fee waived."))
    return redirect("billing:statement", line.statement_id)


@staff_view(FEES)
@require_http_methods(["GET", "POST"])
def vacancies(request: HttpRequest) -> HttpResponse:
    """Vacancy applications: record one, the inspection's result, and (the head) the decision."""
    office = office_for(request, FEES)
    form = VacancyForm(office=office, prefix="apply")
    failed = False
    if request.method == "POST":
        what = request.POST.get("do")
        try:
            if what == "apply":
                form = VacancyForm(request.POST, office=office, prefix="apply")
                if not form.is_valid():
                    raise ValidationError("")
                data = form.cleaned_data
                vacancy.apply_for_vacancy(
                    unit=data["unit"], household=data["household"],
                    vacant_from=data["vacant_from"], channel=data["channel"], by=request.user,
                )  # fmt: skip
            else:
                application = get_object_or_404(
                    VacancyApplication.objects.filter(office=office),
                    pk=request.POST.get("application") or 0,
                )
                note = request.POST.get("note", "")
                if what in ("vacant", "lived_in"):
                    vacancy.inspect_vacancy(
                        application, vacant=what == "vacant", note=note, by=request.user
                    )
                elif what in ("approve", "reject"):
                    require_capability(request.user, HEAD, office.pk)
                    vacancy.decide_vacancy(
                        application, approve=what == "approve", note=note, by=request.user
                    )
                elif what == "end":
                    vacancy.end_vacancy(
                        application, on=application_end_day(request), by=request.user
                    )
            messages.success(request, gettext("Saved."))
            return _back("billing:vacancies", office)
        except ValidationError as error:
            failed = True
            _refused(request, error, form if what == "apply" else None)
    context = {
        "office": office,
        "form": form,
        "applications": VacancyApplication.objects.filter(office=office)
        .select_related("unit", "inspected_by", "decided_by", "requested_by")
        .order_by("-requested_at")[:300],
        "statuses": VacancyStatus,
        "can_decide": scope_for(request.user).can(HEAD, office.pk),
        "section": "billing",
    }
    return render(request, "billing/vacancies.html", context, status=400 if failed else 200)


def application_end_day(request: HttpRequest) -> Any:
    field = forms.DateField()
    try:
        return field.clean(request.POST.get("ends_on"))
    except forms.ValidationError:
        raise ValidationError({"ends_on": gettext("Give the day the discount ends.")}) from None


@staff_view(FEES)
@require_http_methods(["GET", "POST"])
def deposit_list(request: HttpRequest) -> HttpResponse:
    """Deposits held and refunded: receive one, ask for a refund less deductions, approve."""
    office = office_for(request, FEES)
    form = DepositForm(office=office, prefix="deposit")
    refund_form = DepositRefundForm(prefix="refund")
    failed = False
    if request.method == "POST":
        what = request.POST.get("do")
        try:
            if what == "receive":
                form = DepositForm(request.POST, office=office, prefix="deposit")
                if not form.is_valid():
                    raise ValidationError("")
                data = form.cleaned_data
                deposits.receive_deposit(
                    household=household_of(data["unit"]), by=request.user, **data
                )
            elif what == "refund":
                deposit = get_object_or_404(
                    Deposit.objects.filter(office=office), pk=request.POST.get("deposit") or 0
                )
                refund_form = DepositRefundForm(request.POST, prefix="refund")
                if not refund_form.is_valid():
                    raise ValidationError("")
                deposits.request_deposit_refund(
                    deposit, deductions=refund_form.cleaned_data["deductions"], by=request.user
                )
            elif what in ("approve", "reject"):
                require_capability(request.user, HEAD, office.pk)
                refund = get_object_or_404(
                    DepositRefund.objects.filter(office=office), pk=request.POST.get("refund") or 0
                )
                deposits.decide_deposit_refund(refund, approve=what == "approve", by=request.user)
            messages.success(request, gettext("Saved."))
            return _back("billing:deposits", office)
        except ValidationError as error:
            failed = True
            target = {"receive": form, "refund": refund_form}.get(what or "")
            _refused(request, error, target)
    context = {
        "office": office,
        "form": form,
        "refund_form": refund_form,
        "deposits": Deposit.objects.filter(office=office)
        .select_related("unit", "received_by")
        .prefetch_related("refunds__deductions")
        .order_by("-received_at")[:300],
        "waiting": DepositRefund.objects.filter(office=office, status=RefundStatus.REQUESTED)
        .select_related("deposit__unit", "requested_by")
        .prefetch_related("deductions"),
        "can_decide": scope_for(request.user).can(HEAD, office.pk),
        "section": "billing",
    }
    return render(request, "billing/deposits.html", context, status=400 if failed else 200)
