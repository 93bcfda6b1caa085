from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.core.forms import bootstrap
from estate.language.widgets import RequesterTextarea, RequesterTextInput
from estate.workorders.forms import DATE_WIDGET


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100, widget=RequesterTextInput)
    body = forms.CharField(label=_("Text"), widget=RequesterTextarea(attrs={"rows": 8}))
    starts_on = forms.DateField(label=_("Shown from"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Shown until"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
