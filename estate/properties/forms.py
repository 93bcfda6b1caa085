from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.forms import limit_choices
from estate.properties.models import Office

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class RosterImportForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    file = forms.FileField(label=_("Roster file (CSV or XLSX)"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = [o.id for o in scope_for(user).offices_with(Capability.IMPORT_ROSTER)]
        limit_choices(self, "office", Office.objects.filter(id__in=allowed))
        if len(allowed) == 1:
            self.fields["office"].initial = allowed[0]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload
