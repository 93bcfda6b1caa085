"""Forms of the register's pages; every write goes through ``estate.equipment.actions``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.forms import bootstrap, limit_choices
from estate.equipment.actions import EDITABLE
from estate.equipment.models import Equipment
from estate.properties.models import Building, Office

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class EquipmentForm(forms.ModelForm):
    """A piece's facts; the office is the page's, the building one of that office's."""

    class Meta:
        model = Equipment
        fields = list(EDITABLE)
        widgets = {
            field: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for field in (
                "installed_on",
                "warranty_until",
                "last_inspected_on",
                "next_inspection_on",
            )
        } | {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "building", Building.objects.filter(office=office))
        bootstrap(self)

    def validate_unique(self) -> None:
        """The action checks the number within the office and names the field."""

    def values(self) -> dict[str, Any]:
        return {field: self.cleaned_data[field] for field in EDITABLE}


class FaultForm(forms.Form):
    description = forms.CharField(
        label=_("What is wrong?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe what is wrong.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class InspectionForm(forms.Form):
    on = forms.DateField(label=_("Inspected on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class RegisterImportForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    file = forms.FileField(label=_("Register file (XLSX or CSV)"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = [o.id for o in scope_for(user).offices_with(Capability.IMPORT_ROSTER)]
        limit_choices(self, "office", Office.objects.filter(id__in=allowed))
        if len(allowed) == 1:
            self.fields["office"].initial = allowed[0]
        bootstrap(self)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload
