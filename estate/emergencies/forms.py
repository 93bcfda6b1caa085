from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from estate.core.forms import UnitAddressField, bootstrap, limit_choices
from estate.emergencies import calls
from estate.emergencies.models import Category, Emergency, IncidentReport
from estate.properties.models import Office, ServiceUnit, Unit
from estate.workorders.forms import DATETIME_WIDGET, OfficeBoundForm


class AnyUnitAddressField(UnitAddressField):
    """In an emergency the alert goes out first: an address that is not found never blocks it;
    what was typed is kept (``unknown``) to become the place, and the unit is corrected later."""

    unknown = ""

    def clean(self, value: Any) -> Unit | None:
        self.unknown = ""
        try:
            return super().clean(value)
        except forms.ValidationError:
            self.unknown = "".join(str(value or "").split())[:32]
            return None


class EmergencyForm(OfficeBoundForm):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    unit = AnyUnitAddressField(required=False)
    location = forms.CharField(label=_("Place (common area)"), max_length=100, required=False)
    description = forms.CharField(
        label=_("What is happening"), widget=forms.Textarea(attrs={"rows": 2})
    )
    service_units = forms.ModelMultipleChoiceField(
        label=_("Call the duty officers of"),
        queryset=ServiceUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Ticked as the office's plan for this kind of emergency says. "
            "None ticked: the plan's units are called."
        ),
    )

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, office=office, **kwargs)
        limit_choices(
            self, "service_units", ServiceUnit.objects.filter(office=office, is_active=True)
        )
        self.plans = calls.plans(office)  # category → units, for the page to tick
        if not self.is_bound:
            self.initial["service_units"] = self.plans[Category.FIRE]

    @property
    def unknown_unit(self) -> str:
        field = self.fields["unit"]
        return field.unknown if isinstance(field, AnyUnitAddressField) else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.unknown_unit:
            place = (data.get("location") or "").strip()
            data["location"] = f"{self.unknown_unit} {place}".strip()[:100]
        if not data.get("unit") and not (data.get("location") or "").strip():
            self.add_error("location", _("Give a unit or a place such as 3棟電梯."))
        return data


class IncidentReportForm(forms.ModelForm):
    class Meta:
        model = IncidentReport
        fields = [
            "occurred_at", "place", "what_happened", "people_involved", "injuries_and_losses",
            "actions_taken", "causes", "lessons",
        ]  # fmt: skip
        widgets = {"occurred_at": DATETIME_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 2
        bootstrap(self)

    @classmethod
    def first_draft(cls, emergency: Emergency) -> IncidentReportForm:
        """The report as the desk and the responders left it: when, where, what was said, who
        was called and when each was on scene; the people who were there write the rest."""
        order = emergency.work_order
        lines = []
        for responder in emergency.responders.select_related("person"):
            called = timezone.localtime(responder.called_at).strftime("%H:%M")
            if responder.on_scene_at:
                lines.append(
                    gettext("%(time)s %(person)s (%(role)s) called; on scene at %(scene)s")
                    % {
                        "time": called,
                        "person": responder.person,
                        "role": responder.role,
                        "scene": timezone.localtime(responder.on_scene_at).strftime("%H:%M"),
                    }
                )
            else:
                lines.append(
                    gettext("%(time)s %(person)s (%(role)s) called")
                    % {"time": called, "person": responder.person, "role": responder.role}
                )
        return cls(
            initial={
                "occurred_at": timezone.localtime(order.opened_at),
                "place": order.place,
                "what_happened": order.description,
                "actions_taken": "\n".join(lines),
            }
        )


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
