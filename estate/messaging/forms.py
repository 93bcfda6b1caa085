"""Forms for messages to requesters: the SMS template registry."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.core.forms import bootstrap
from estate.messaging.models import SmsTemplate
from estate.messaging.registry import check_sms_template, register_sms_template


class SmsTemplateForm(forms.ModelForm):
    """An office's registered SMS template; saving it asks the provider whether its parameters
    are the template's (``registry.check_sms_template``)."""

    parameters = forms.CharField(
        label=_("parameters"),
        required=False,
        help_text=_(
            "The template's parameters in the provider's order, separated by commas, each a "
            "placeholder of the message (such as: number, link)."
        ),
    )

    class Meta:
        model = SmsTemplate
        fields = ["office", "kind", "sign_name", "template_code", "parameters"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["parameters"] = ", ".join(self.instance.parameters)
        self.checked = False

    def clean_parameters(self) -> list[str]:
        raw = self.cleaned_data.get("parameters", "").strip()
        if raw.startswith("["):
            try:
                listed = json.loads(raw)
            except json.JSONDecodeError:
                raise forms.ValidationError(_("Write the parameters as: number, link")) from None
            return [str(name).strip() for name in listed if str(name).strip()]
        return [name for name in re.split(r"[,，、\s]+", raw) if name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        self.checked = check_sms_template(
            kind=cleaned["kind"],
            sign_name=cleaned["sign_name"],
            template_code=cleaned["template_code"],
            parameters=cleaned["parameters"],
        )
        return cleaned

    def register(self, *, by: Any) -> SmsTemplate:
        """The write, through the named action."""
        data = self.cleaned_data
        return register_sms_template(
            office=data["office"],
            kind=data["kind"],
            sign_name=data["sign_name"],
            template_code=data["template_code"],
            parameters=data["parameters"],
            by=by,
            template=self.instance if self.instance.pk else None,
            checked=self.checked,
        )


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
