"""Import and export of the register file (XLSX or CSV), like the roster's."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.downloads import XLSX
from estate.core.importer import ImportRefused
from estate.core.permissions import office_for, staff_view
from estate.core.tables import TableFileError, read_table, write_csv, write_xlsx
from estate.equipment import actions
from estate.equipment.forms import RegisterImportForm
from estate.equipment.models import Equipment
from estate.equipment.register import export_rows
from estate.properties.actions import record_export


@staff_view(Capability.EXPORT_ROSTER)
def register_file(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    can_import = scope.can(Capability.IMPORT_ROSTER)
    form = RegisterImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors: list[Any] = []
    file_error = ""
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied
        if form.is_valid():
            office = form.cleaned_data["office"]
            upload = form.cleaned_data["file"]
            try:
                added, updated = actions.import_register(
                    office=office, table=read_table(upload.name, upload.read()), by=request.user
                )
            except TableFileError as error:
                file_error = str(error)
            except ImportRefused as refused:
                errors = refused.errors
            else:
                messages.success(
                    request,
                    gettext("Imported into %(office)s: %(added)d added, %(updated)d updated.")
                    % {"office": office.name, "added": added, "updated": updated},
                )
                return redirect("equipment:register")
    context = {
        "form": form,
        "can_import": can_import,
        "errors": errors,
        "file_error": file_error,
        "export_offices": scope.offices_with(Capability.EXPORT_ROSTER),
        "section": "equipment",
    }
    status = 400 if (errors or file_error) else 200
    return render(request, "equipment/register.html", context, status=status)


@staff_view(Capability.EXPORT_ROSTER)
def export_register(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in ("csv", "xlsx"):
        raise Http404
    office = office_for(request, Capability.EXPORT_ROSTER)
    pieces = Equipment.objects.filter(office=office).select_related("building")
    rows = list(export_rows(pieces.order_by("sort_key", "id").iterator(chunk_size=500)))
    record_export(
        office=office, by=request.user, what=f"equipment.{file_format}", rows=len(rows) - 1
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    filename = f"equipment-{office.code}-{stamp}.{file_format}"
    if file_format == "csv":
        content, content_type = write_csv(rows), "text/csv; charset=utf-8"
    else:
        content, content_type = write_xlsx(rows, title=office.name), XLSX
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
