"""Roster import and export pages (住戶花名冊)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.downloads import XLSX
from estate.core.permissions import office_for, staff_view
from estate.core.tables import TableFileError, read_table, write_csv, write_xlsx
from estate.properties import actions
from estate.properties.actions import record_export
from estate.properties.filters import natural_unit_order
from estate.properties.forms import RosterImportForm
from estate.properties.models import Office, Resident, Unit
from estate.properties.roster import export_rows, parse_roster


@staff_view(Capability.EXPORT_ROSTER)
def roster(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    can_import = scope.can(Capability.IMPORT_ROSTER)
    form = RosterImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors: list[Any] = []
    file_error = ""
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied
        if form.is_valid():
            office = form.cleaned_data["office"]
            upload = form.cleaned_data["file"]
            try:
                parsed = parse_roster(read_table(upload.name, upload.read()))
                summary = actions.import_roster(office=office, roster=parsed)
            except TableFileError as error:
                file_error = str(error)
            except actions.RosterRejected as rejected:
                errors = rejected.errors
            else:
                messages.success(
                    request,
                    gettext(
                        "Imported into %(office)s: %(uc)d units created, %(uu)d updated; "
                        "%(hc)d households created, %(hu)d updated; %(rc)d residents created, %(ru)d updated."
                    )
                    % {
                        "office": office.name,
                        "uc": summary.units_created,
                        "uu": summary.units_updated,
                        "hc": summary.households_created,
                        "hu": summary.households_updated,
                        "rc": summary.residents_created,
                        "ru": summary.residents_updated,
                    },
                )
                return redirect("properties:roster")
    export_offices = scope.offices_with(Capability.EXPORT_ROSTER)
    context = {
        "form": form,
        "can_import": can_import,
        "errors": errors,
        "file_error": file_error,
        "export_offices": export_offices,
        "section": "roster",
    }
    return render(
        request, "properties/roster.html", context, status=400 if (errors or file_error) else 200
    )


def _roster_triples(office: Office) -> Iterator[tuple[Any, Any, Any]]:
    units = natural_unit_order(Unit.objects.filter(office=office)).prefetch_related(
        Prefetch("households__residents", queryset=Resident.objects.order_by("-is_primary", "name"))
    )
    for unit in units.iterator(chunk_size=500):
        households = sorted(
            unit.households.all(), key=lambda h: (h.move_in is None, h.move_in, h.id)
        )
        if not households:
            yield unit, None, None
        for household in households:
            residents = list(household.residents.all())
            if not residents:
                yield unit, household, None
            for resident in residents:
                yield unit, household, resident


@staff_view(Capability.EXPORT_ROSTER)
def export_roster(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in ("csv", "xlsx"):
        raise Http404
    office = office_for(request, Capability.EXPORT_ROSTER)
    rows = list(export_rows(_roster_triples(office)))
    record_export(office=office, by=request.user, what=f"roster.{file_format}", rows=len(rows) - 1)
    stamp = timezone.localdate().strftime("%Y%m%d")
    filename = f"roster-{office.code}-{stamp}.{file_format}"
    if file_format == "csv":
        content, content_type = write_csv(rows), "text/csv; charset=utf-8"
    else:
        content = write_xlsx(rows, title=office.name)
        content_type = XLSX
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
