"""Forms of patrols: a route, a check point, the phone's scan and the report's nights."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from estate.core.forms import bootstrap, limit_choices
from estate.patrols.choices import ScanMethod
from estate.properties.models import ServiceUnit

LONGEST_REPORT = 93  # nights: a quarter


class RouteForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    service_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("service unit"), queryset=ServiceUnit.objects.none()
    )
    minutes_between_points = forms.IntegerField(
        label=_("minutes allowed between points"), min_value=1, max_value=240, initial=15
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "service_unit", units)
        bootstrap(self)


class PointForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    nfc_tag = forms.CharField(label=_("NFC tag id"), max_length=64, required=False)
    latitude = forms.DecimalField(
        label=_("latitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
    )
    longitude = forms.DecimalField(
        label=_("longitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
    )
    radius_m = forms.IntegerField(label=_("radius (m)"), min_value=1, max_value=5000, initial=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ScanForm(forms.Form):
    """What the phone sends: the code (from the camera, the NFC tag or typed), where it was."""

    code = forms.CharField(label=_("Code of the check point"), max_length=64, required=False)
    method = forms.ChoiceField(choices=ScanMethod.choices, required=False)
    # Plain text: the action checks them and names the field (a phone may send anything).
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    accuracy = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class NightsForm(forms.Form):
    """The report's nights, by the dates of their evenings; the last week by default."""

    start = forms.DateField(label=_("from"), required=False)
    end = forms.DateField(label=_("to"), required=False)

    def __init__(self, query: Any) -> None:
        super().__init__({"start": query.get("from", ""), "end": query.get("to", "")})
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        yesterday = timezone.localdate() - timedelta(days=1)
        end = data.get("end") or yesterday
        start = data.get("start") or end - timedelta(days=6)
        if start > end:
            self.add_error("end", _("The last night comes after the first."))
        elif (end - start).days >= LONGEST_REPORT:
            self.add_error(
                "end", _("Show at most %(nights)s nights at once.") % {"nights": LONGEST_REPORT}
            )
        data["start"], data["end"] = start, end
        return data
