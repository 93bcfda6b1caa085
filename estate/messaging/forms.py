from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.core.forms import bootstrap


class MessageTemplateForm(forms.Form):
    text = forms.CharField(
        label=_("Words"), widget=forms.Textarea(attrs={"rows": 4}), max_length=500
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class SettleForm(forms.Form):
    note = forms.CharField(label=_("How you reached them"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
