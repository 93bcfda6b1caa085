"""The cashier's pages: the quarter at a glance (runs, collection rate), preview and issue a run,
a run's statements with the delivery checklist, a statement with its payments, arrears,
meter readings, owners' remarks and reversals waiting for the head; PDFs and XLSX exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.billing import payments, printing, runs, statements
from estate.billing.choices import ReversalStatus
from estate.billing.collection import ageing, arrears, collection
from estate.billing.exports import arrears_rows, payment_rows, statement_rows
from estate.billing.forms import (
    AdjustmentForm,
    BillTermForm,
    PaymentForm,
    ReadingsImportForm,
    RemarkAnswerForm,
    ReversalForm,
    RunForm,
)
from estate.billing.models import (
    BillRun,
    Meter,
    MeterReading,
    Payment,
    Remark,
    Reversal,
    Statement,
)
from estate.billing.readings import ImportRefused, import_readings
from estate.core.downloads import pdf_response, xlsx_response
from estate.core.forms import add_errors
from estate.core.pagination import counted_page
from estate.core.periods import Quarter
from estate.core.permissions import office_for, require_capability, safe_next, staff_view
from estate.core.tables import TableFileError, read_table, write_xlsx
from estate.dunning.trail import attach_trails
from estate.messaging.household_events import remind_arrears
from estate.properties.actions import record_export, set_bill_due_days
from estate.properties.models import Building, Unit
from estate.reports.measures import COLLECTION_RATE, Figure
from estate.reports.wording import target_text

FEES = Capability.COLLECT_FEES


def _quarter(request: HttpRequest) -> Quarter:
    try:
        return Quarter.parse(request.GET.get("quarter", ""))
    except ValueError:
        return Quarter.of(timezone.localdate())


def _statements(request: HttpRequest) -> QuerySet[Statement]:
    return Statement.objects.visible_to(request.user).select_related("office", "unit", "building")


@staff_view(FEES)
def home(request: HttpRequest) -> HttpResponse:
    office = office_for(request, FEES)
    quarter = _quarter(request)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "office": office,
        "quarter": quarter,
        "runs": BillRun.objects.filter(office=office).select_related("building")[:20],
        "at_quarter_end": collection(
            office, str(quarter), as_of=min(quarter.last_day, today), today=today
        ),
        "today_figures": collection(office, str(quarter), as_of=today, today=today),
        "target": target_text(Figure(COLLECTION_RATE)),
        "today": today,
        "remarks_waiting": Remark.objects.filter(
            office=office, answered_at__isnull=True, work_order__isnull=True
        ).count(),
        "reversals_waiting": Reversal.objects.filter(
            office=office, status=ReversalStatus.REQUESTED
        ).count(),
        "may_set_term": scope_for(request.user).can(Capability.MANAGE_OFFICE, office.pk),
        "section": "billing",
    }
    return render(request, "billing/home.html", context)


@staff_view(Capability.MANAGE_OFFICE)
@require_http_methods(["GET", "POST"])
def term(request: HttpRequest) -> HttpResponse:
    """The office's term for paying a bill: due so many days after the issue day."""
    office = office_for(request, Capability.MANAGE_OFFICE, required=request.method == "POST")
    form = BillTermForm(request.POST or None, initial={"bill_due_days": office.bill_due_days})
    if request.method == "POST" and form.is_valid():
        try:
            set_bill_due_days(
                office=office, days=form.cleaned_data["bill_due_days"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                gettext("Statements of the next runs are due %(days)d days after issue.")
                % {"days": office.bill_due_days},
            )
            return redirect(f"{reverse('billing:term')}?office={office.pk}")
    context = {"office": office, "form": form, "section": "billing"}
    return render(request, "billing/term.html", context, status=400 if form.errors else 200)


def _unit_text(request: HttpRequest) -> str:
    """The search by unit (``?unit=3-12``): part of an address or a unit's number."""
    return request.GET.get("unit", "").strip()[:40]


def _suggested_building(request: HttpRequest, office: Any) -> Building | None:
    given = request.GET.get("building", "")
    if not given.isdigit():
        return None
    return Building.objects.filter(office=office, pk=int(given)).first()


@staff_view(FEES)
@require_http_methods(["GET", "POST"])
def run(request: HttpRequest) -> HttpResponse:
    """Preview a run (GET with a quarter), then issue it (POST). Opened without a quarter, the
    form is not checked (no errors before any input) and offers the next quarter to issue."""
    office = office_for(request, FEES)
    if request.method == "POST":
        form = RunForm(request.POST, office=office)
    elif "quarter" in request.GET:
        form = RunForm(request.GET, office=office)
    else:
        building = _suggested_building(request, office)
        form = RunForm(
            office=office,
            initial={"quarter": str(runs.next_quarter(office, building)), "building": building},
        )
    plan = None
    problems: list[str] = []
    if form.is_bound and form.is_valid():
        quarter, building = form.cleaned_data["quarter"], form.cleaned_data["building"]
        due_on = form.cleaned_data["due_on"]
        if request.method == "POST":
            try:
                issued = runs.issue(
                    office, quarter, by=request.user, building=building, due_on=due_on
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    add_errors(form, error)
                else:
                    problems = error.messages
            else:
                messages.success(
                    request,
                    gettext("%(count)d statements issued for %(quarter)s.")
                    % {"count": issued.statements_issued, "quarter": quarter},
                )
                return redirect("billing:run_detail", issued.pk)
        else:
            try:
                plan = runs.plan(office, quarter, building, due_on=due_on)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    add_errors(form, error)
                else:
                    problems = error.messages
    refused = bool(problems) or (form.is_bound and bool(form.errors))
    context = {
        "office": office,
        "form": form,
        "plan": plan,
        "sample": plan.statements[:10] if plan else [],
        "problems": problems,
        "issue_day": runs.issue_day(office),
        "section": "billing",
    }
    return render(request, "billing/run.html", context, status=400 if refused else 200)


@staff_view(FEES)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bill_run = get_object_or_404(BillRun.objects.visible_to(request.user), pk=pk)
    found = (
        _statements(request)
        .filter(run=bill_run)
        .order_by("building__sort_key", "unit__sort_key", "id")
    )
    building = request.GET.get("building")
    if building and building.isdigit():
        found = found.filter(building_id=int(building))
    unit = _unit_text(request)
    if unit:
        found = found.filter(unit__address__icontains=unit)
    buildings = (
        Statement.objects.filter(run=bill_run)
        .values("building_id", "building__name", "building__sort_key")
        .annotate(n=Count("id"), delivered=Count("id", filter=Q(delivered_at__isnull=False)))
        .order_by("building__sort_key")
    )
    context = {
        "run": bill_run,
        "page": counted_page(found, request.GET),
        "buildings": buildings,
        "building": int(building) if building and building.isdigit() else None,
        "unit": unit,
        "section": "billing",
    }
    return render(request, "billing/run_detail.html", context)


@staff_view(FEES)
@require_POST
def deliver(request: HttpRequest, pk: int) -> HttpResponse:
    bill_run = get_object_or_404(BillRun.objects.visible_to(request.user), pk=pk)
    chosen = Statement.objects.filter(run=bill_run, pk__in=request.POST.getlist("statement"))
    done = statements.mark_delivered(chosen, by=request.user)
    messages.success(
        request, gettext("%(count)d statements ticked as delivered.") % {"count": done}
    )
    return redirect(safe_next(request, fallback=reverse("billing:run_detail", args=[bill_run.pk])))


@staff_view(FEES)
def building_pdf(request: HttpRequest, pk: int, building_id: int) -> HttpResponse:
    bill_run = get_object_or_404(BillRun.objects.visible_to(request.user), pk=pk)
    batch = (
        _statements(request)
        .filter(run=bill_run, building_id=building_id)
        .prefetch_related("lines")
        .order_by("unit__sort_key", "id")
    )
    return pdf_response(
        printing.statements_pdf(batch, str(bill_run)), f"{bill_run.quarter}-{building_id}"
    )


@staff_view(FEES)
@require_http_methods(["GET", "POST"])
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(_statements(request), pk=pk)
    require_capability(request.user, FEES, found.office_id)
    forms: dict[str, Any] = {
        "pay": PaymentForm(prefix="pay"),
        "adjust": AdjustmentForm(prefix="adjust"),
        "reverse": ReversalForm(prefix="reverse"),
    }
    failed = False
    what = request.POST.get("do") if request.method == "POST" else None
    if what in forms:
        form = forms[what] = type(forms[what])(request.POST, prefix=what)
        try:
            if not form.is_valid():
                raise ValidationError("")
            data = form.cleaned_data
            if what == "pay":
                payment = payments.receive_payment(
                    found, amount=data["amount"], method=data["method"], by=request.user,
                    reference=data["reference"], as_prepayment=data["as_prepayment"],
                    remark=data["remark"],
                )  # fmt: skip
                messages.success(
                    request,
                    gettext("Payment recorded: receipt %(number)s.")
                    % {"number": payment.receipt_number},
                )
            elif what == "adjust":
                statements.adjust(
                    found, amount=data["amount"], reason=data["reason"], by=request.user
                )
                messages.success(request, gettext("Statement adjusted."))
            else:
                payment = get_object_or_404(
                    Payment, pk=request.POST.get("payment") or 0, statement=found
                )
                payments.request_reversal(
                    payment, kind=data["kind"], amount=data["amount"], reason=data["reason"],
                    by=request.user,
                )  # fmt: skip
                messages.success(request, gettext("Sent to the head for approval."))
            return redirect("billing:statement", found.pk)
        except ValidationError as error:
            failed = True
            if hasattr(error, "error_dict"):
                add_errors(form, error)
    found.refresh_from_db()
    context = {
        "statement": found,
        "lines": found.lines.all(),
        "payments": found.payments.select_related("received_by").prefetch_related(
            "reversals", "invoice_requests__invoices"
        ),
        "remarks": found.remarks.select_related("work_order"),
        "forms": forms,
        "open_form": what if failed else "",
        "can_waive": scope_for(request.user).can(Capability.APPROVE_REFUNDS, found.office_id),
        "section": "billing",
    }
    return render(request, "billing/statement.html", context, status=400 if failed else 200)


@staff_view(FEES)
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(_statements(request).prefetch_related("lines"), pk=pk)
    return pdf_response(printing.statements_pdf([found], found.number), found.number)


@staff_view(FEES)
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_object_or_404(
        Payment.objects.visible_to(request.user).select_related(
            "statement__office", "statement__unit", "received_by"
        ),
        pk=pk,
    )
    return pdf_response(printing.receipt_pdf(payment), payment.receipt_number)


@staff_view(FEES)
@require_http_methods(["GET", "POST"])
def arrears_page(request: HttpRequest) -> HttpResponse:
    office = office_for(request, FEES, required=request.method == "POST")
    today = timezone.localdate()
    building = request.POST.get("building") or request.GET.get("building")
    building_id = int(building) if building and building.isdigit() else None
    if request.method == "POST":
        remind_arrears(office, on=today, building_id=building_id)
        messages.success(
            request,
            gettext(
                "Each household that owes money past its due date is being reminded by message "
                "(at most once a day); the portal, WeChat or a text, as each has chosen."
            ),
        )
        return redirect(
            f"{reverse('billing:arrears')}?office={office.pk}&building={building or ''}"
        )
    owed = arrears(office, on=today, building_id=building_id).select_related("unit", "building")
    unit = _unit_text(request)
    if unit:
        owed = owed.filter(unit__address__icontains=unit)
    if request.GET.get("format") == "pdf":
        return pdf_response(
            printing.reminder_pdf(owed.select_related("office"), on=today), "reminders"
        )
    if request.GET.get("format") == "xlsx":
        rows = list(arrears_rows(owed, today))
        record_export(office=office, by=request.user, what="arrears.xlsx", rows=len(rows) - 1)
        return xlsx_response(write_xlsx(rows, title=gettext("Arrears")), "arrears")
    page = counted_page(owed, request.GET)
    attach_trails(page.items)  # each household's reminders and demands (dunning)
    context = {
        "office": office,
        "page": page,
        "ageing": ageing(owed, today),
        "building_id": building_id,
        "unit": unit,
        "buildings": Building.objects.filter(office=office).order_by("sort_key", "id"),
        "today": today,
        "section": "billing",
    }
    return render(request, "billing/arrears.html", context)


@staff_view(FEES)
def export(request: HttpRequest, what: str) -> HttpResponse:
    office = office_for(request, FEES)
    quarter = str(_quarter(request))
    if what == "statements":
        found = (
            _statements(request).filter(office=office, quarter=quarter).prefetch_related("lines")
        )
        rows = list(statement_rows(found.order_by("unit__sort_key", "number")))
    elif what == "payments":
        rows = list(
            payment_rows(
                Payment.objects.filter(office=office, statement__quarter=quarter)
                .select_related("statement__unit", "received_by")
                .order_by("received_at")
            )
        )
    else:
        raise Http404
    record_export(office=office, by=request.user, what=f"{what}.xlsx", rows=len(rows) - 1)
    return xlsx_response(write_xlsx(rows, title=f"{what} {quarter}"), f"{what}-{quarter}")


@staff_view(FEES)
@require_http_methods(["GET", "POST"])
def readings(request: HttpRequest) -> HttpResponse:
    office = office_for(request, FEES)
    form = ReadingsImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            saved = import_readings(office, read_table(upload.name, upload.read()))
        except TableFileError as error:
            errors = [str(error)]
        except ImportRefused as refused:
            errors = [str(e) for e in refused.errors]
        else:
            messages.success(
                request, gettext("%(count)d readings imported.") % {"count": len(saved)}
            )
            return redirect(f"{reverse('billing:readings')}?office={office.pk}")
    unit = _unit_text(request)
    context = {
        "office": office,
        "form": form,
        "errors": errors,
        "page": counted_page(readings_list(office, unit), request.GET),
        "unit": unit,
        "section": "billing",
    }
    return render(request, "billing/readings.html", context, status=400 if errors else 200)


def readings_list(office: Any, unit: str = "") -> QuerySet[MeterReading]:
    """The office's readings, latest quarter first, then by the place of the meter in natural
    order (a sub-meter's unit, else the first unit a shared meter serves: its building):
    meter names are free text, and "10棟" sorts before "2棟" as text."""
    first_served = (
        Unit.objects.filter(shared_meters=OuterRef("meter")).order_by("sort_key").values("sort_key")
    )
    found = MeterReading.objects.filter(office=office)
    if unit:
        served = Meter.objects.filter(office=office).filter(
            Q(unit__address__icontains=unit) | Q(serves__address__icontains=unit)
        )
        found = found.filter(meter__in=served.values("pk"))
    return (
        found.select_related("meter")
        .annotate(place=Coalesce("meter__unit__sort_key", Subquery(first_served[:1])))
        .order_by("-quarter", F("place").asc(nulls_last=True), "meter__name", "id")
    )


@staff_view(FEES)
@require_http_methods(["GET", "POST"])
def remarks(request: HttpRequest) -> HttpResponse:
    office = office_for(request, FEES)
    failed: tuple[int, RemarkAnswerForm] | None = None
    if request.method == "POST":
        remark = get_object_or_404(
            Remark.objects.filter(office=office), pk=request.POST.get("remark") or 0
        )
        try:
            if request.POST.get("do") == "escalate":
                payments.escalate_remark(remark, by=request.user)
                messages.success(request, gettext("Handed to the head as a work order."))
            else:
                form = RemarkAnswerForm(request.POST, office=office)
                if not form.is_valid():
                    raise ValidationError({"answer": form.errors.get("answer", [])})
                payments.answer_remark(remark, answer=form.cleaned_data["answer"], by=request.user)
                messages.success(request, gettext("Answer recorded."))
            return redirect(f"{reverse('billing:remarks')}?office={office.pk}")
        except ValidationError as error:
            form = RemarkAnswerForm(request.POST, office=office)
            form.is_valid()
            for field, problems in getattr(
                error, "message_dict", {"answer": error.messages}
            ).items():
                form.add_error(field if field in form.fields else None, problems)
            failed = (remark.pk, form)
    waiting = (
        Remark.objects.filter(office=office, answered_at__isnull=True, work_order__isnull=True)
        .select_related("statement__unit", "taken_by")
        .order_by("taken_at")
    )
    context = {
        "office": office,
        "remarks": waiting,
        "answer_form": RemarkAnswerForm(office=office),
        "failed": failed,
        "section": "billing",
    }
    return render(request, "billing/remarks.html", context, status=400 if failed else 200)


@staff_view(Capability.APPROVE_REFUNDS)
@require_http_methods(["GET", "POST"])
def reversals(request: HttpRequest) -> HttpResponse:
    office = office_for(request, Capability.APPROVE_REFUNDS)
    if not scope_for(request.user).can(Capability.APPROVE_REFUNDS, office.pk):
        raise PermissionDenied
    if request.method == "POST":
        reversal = get_object_or_404(
            Reversal.objects.filter(office=office).select_related("payment"),
            pk=request.POST.get("reversal") or 0,
        )
        try:
            payments.decide_reversal(
                reversal, approve=request.POST.get("do") == "approve", by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("Decision recorded."))
        return redirect(f"{reverse('billing:reversals')}?office={office.pk}")
    waiting = (
        Reversal.objects.filter(office=office, status=ReversalStatus.REQUESTED)
        .select_related("payment__statement__unit", "requested_by")
        .order_by("requested_at")
    )
    return render(
        request,
        "billing/reversals.html",
        {"office": office, "reversals": waiting, "section": "billing"},
    )
