from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.core.forms import bootstrap
from estate.dunning.choices import RECORDED_BY_HAND, AttemptChannel, AttemptResult, DeliveryMethod
from estate.messaging.choices import Channel as MessageChannel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AttemptForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How"), choices=[(c, AttemptChannel(c).label) for c in RECORDED_BY_HAND]
    )
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[c for c in AttemptResult.choices if c[0] != AttemptResult.PENDING],
    )
    at = forms.DateTimeField(label=_("When (empty: now)"), required=False, widget=DATETIME)
    promised_on = forms.DateField(label=_("Promised to pay by"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class DemandForm(forms.Form):
    pay_by = forms.DateField(label=_("Pay by (empty: in two weeks)"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("A word of the office's own (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    draft = forms.BooleanField(label=_("Only a draft to read over"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label=_("Delivered by"), choices=DeliveryMethod.choices)
    reference = forms.CharField(
        label=_("Registered-mail number or message id"), max_length=60, required=False
    )
    electronic_channel = forms.ChoiceField(
        label=_("Electronic channel"),
        required=False,
        choices=[
            ("", "—"),
            *MessageChannel.choices,
            (AttemptChannel.PORTAL, AttemptChannel.PORTAL.label),
        ],
    )
    at = forms.DateTimeField(label=_("Delivered at (empty: now)"), required=False, widget=DATETIME)
    proof = forms.FileField(label=_("Proof: photo or scan of the signed receipt"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
