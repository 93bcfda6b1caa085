from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.core.forms import bootstrap
from estate.visits.choices import ItemKind, Satisfaction, VisitChannel


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class VisitForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"), choices=VisitChannel.choices, initial=VisitChannel.PHONE
    )
    reached = forms.TypedChoiceField(
        label=_("Reached the household?"),
        choices=[("yes", _("Reached")), ("no", _("Not reached"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    score = forms.TypedChoiceField(
        label=_("Satisfaction"),
        choices=[("", "—"), *Satisfaction.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    comments = forms.CharField(
        label=_("Comments"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    opinions = forms.CharField(
        label=_("Opinions (one per line)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    criticism = forms.CharField(
        label=_("Criticism (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    suggestions = forms.CharField(
        label=_("Suggestions (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def items(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            *((ItemKind.OPINION, text) for text in _lines(data.get("opinions", ""))),
            *((ItemKind.CRITICISM, text) for text in _lines(data.get("criticism", ""))),
            *((ItemKind.SUGGESTION, text) for text in _lines(data.get("suggestions", ""))),
        ]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer given"), widget=forms.Textarea(attrs={"rows": 2}))


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
