"""Form pieces shared by the desk, the order pages and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from estate.properties.models import Office, Unit


class UnitAddressField(forms.CharField):
    """A unit typed as its address (3-1202); an unknown address is refused with suggestions, never guessed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Unit"))
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)
        self.office: Office | None = None
        self.widget.attrs.update(
            {"placeholder": "3-1202", "autocomplete": "off", "inputmode": "text"}
        )

    def clean(self, value: Any) -> Unit | None:
        text = "".join(str(super().clean(value) or "").split())
        if not text:
            return None
        if self.office is None:
            raise forms.ValidationError(_("Choose the office first."))
        unit = Unit.objects.filter(office=self.office, address=text).first()
        if unit is not None:
            return unit
        building = text.partition("-")[0]
        near = list(
            Unit.objects.filter(
                office=self.office, address__startswith=text[: max(len(building) + 2, 3)]
            )
            .order_by("sort_key", "id")
            .values_list("address", flat=True)[:5]
        )
        if near:
            raise forms.ValidationError(
                gettext("There is no unit %(address)s. Did you mean: %(suggestions)s?")
                % {"address": text, "suggestions": "、".join(near)}
            )
        raise forms.ValidationError(
            gettext("There is no unit %(address)s in this office.") % {"address": text}
        )


def limit_choices(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    """Offer only ``queryset`` in the model-choice field ``name`` (an office's units, staff, teams)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def bootstrap(form: forms.BaseForm) -> forms.BaseForm:
    """Give every widget Bootstrap's class, so templates can render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        elif isinstance(widget, forms.RadioSelect):
            continue
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
    return form


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show an action's refusal on the form: on the field it names, else at the top."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)
