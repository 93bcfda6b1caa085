from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.core.forms import bootstrap, limit_choices
from estate.language.widgets import RequesterTextarea, RequesterTextInput
from estate.notices.choices import Utility
from estate.notices.interruptions import LONGEST_TELL_AHEAD
from estate.notices.models import DEFAULT_TELL_AHEAD
from estate.properties.models import Building, Office
from estate.workorders.forms import DATE_WIDGET, DATETIME_WIDGET


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100, widget=RequesterTextInput)
    body = forms.CharField(label=_("Text"), widget=RequesterTextarea(attrs={"rows": 8}))
    starts_on = forms.DateField(label=_("Shown from"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Shown until"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class InterruptionForm(forms.Form):
    """What, where, when and the words; hours ahead to tell (the action takes a duration)."""

    what = forms.ChoiceField(label=_("What is interrupted"), choices=Utility.choices)
    buildings = forms.ModelMultipleChoiceField(
        label=_("Buildings"),
        queryset=Building.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the whole site."),
    )
    starts_at = forms.DateTimeField(label=_("From"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Until"), widget=DATETIME_WIDGET)
    text = forms.CharField(
        label=_("Text for residents"), widget=RequesterTextarea(attrs={"rows": 5})
    )
    tell_ahead = forms.IntegerField(
        label=_("Tell households ahead (hours)"),
        min_value=0,
        max_value=int(LONGEST_TELL_AHEAD.total_seconds() // 3600),
        initial=int(DEFAULT_TELL_AHEAD.total_seconds() // 3600),
        help_text=_("Told by message this long before it starts; at once if that time has passed."),
    )

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "buildings", Building.objects.in_office(office).order_by("sort_key"))
        bootstrap(self)

    def action_data(self) -> dict[str, Any]:
        """The cleaned data as the actions take it."""
        data = dict(self.cleaned_data)
        data["tell_ahead"] = timedelta(hours=data["tell_ahead"])
        return data
