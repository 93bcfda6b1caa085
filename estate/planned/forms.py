"""The plan form (its schedule as plain fields) and the checklist's item formset."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.equipment.models import Equipment
from estate.patrols.models import PatrolRoute
from estate.planned.actions import PLAN_FIELDS
from estate.planned.choices import ItemKind
from estate.planned.models import Plan
from estate.properties.models import ServiceUnit


class PlanForm(forms.ModelForm):
    times = forms.CharField(
        label=_("at times"),
        required=False,
        help_text=_("Local times separated by commas, like 08:00, 20:00."),
    )
    weekdays = forms.CharField(
        label=_("on weekdays"),
        required=False,
        help_text=_("Numbers 1 (Monday) to 7 (Sunday), separated by commas."),
    )

    class Meta:
        model = Plan
        fields = list(PLAN_FIELDS)  # what the action may set, and nothing else
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, office: Any, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.pk and "initial" not in kwargs:
            kwargs["initial"] = {
                "times": ", ".join(instance.times or []),
                "weekdays": ", ".join(str(d) for d in instance.weekdays or []),
            }
        super().__init__(*args, **kwargs)
        self.fields["service_unit"].queryset = ServiceUnit.objects.filter(office=office)  # type: ignore[attr-defined]
        self.fields["equipment"].queryset = Equipment.objects.filter(office=office)  # type: ignore[attr-defined]
        self.fields["route"].queryset = PatrolRoute.objects.filter(office=office)  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = (
                "form-check-input"
                if isinstance(field.widget, forms.CheckboxInput)
                else "form-control"
            )
            field.widget.attrs.setdefault("class", css)

    def clean_times(self) -> list[str]:
        return [
            t.strip() for t in self.cleaned_data["times"].replace("，", ",").split(",") if t.strip()
        ]

    def clean_weekdays(self) -> list[int]:
        raw = [
            d.strip()
            for d in self.cleaned_data["weekdays"].replace("，", ",").split(",")
            if d.strip()
        ]
        if not all(d.isdigit() for d in raw):
            raise forms.ValidationError(_("Weekdays are numbers from 1 (Monday) to 7 (Sunday)."))
        return [int(d) for d in raw]

    def _post_clean(self) -> None:
        # The plan's checks live in the action (save_plan), not in model validation.
        pass


class ItemForm(forms.Form):
    text = forms.CharField(label=_("item"), max_length=200)
    kind = forms.ChoiceField(label=_("answered by"), choices=ItemKind.choices)
    unit = forms.CharField(label=_("unit of the reading"), max_length=20, required=False)
    low = forms.DecimalField(
        label=_("lowest allowed"), max_digits=12, decimal_places=3, required=False
    )
    high = forms.DecimalField(
        label=_("highest allowed"), max_digits=12, decimal_places=3, required=False
    )


ItemFormSet = forms.formset_factory(ItemForm, extra=2, can_delete=True)
