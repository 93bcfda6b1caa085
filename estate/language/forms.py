from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.core.forms import bootstrap
from estate.language.choices import GuardMode, Situation


class PhraseForm(forms.Form):
    situation = forms.ChoiceField(label=_("Situation"), choices=Situation.choices)
    text = forms.CharField(label=_("Phrase"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ForbiddenPhraseForm(forms.Form):
    text = forms.CharField(label=_("Forbidden phrase"), max_length=100)
    situation = forms.ChoiceField(
        label=_("Suggest phrases for"), choices=Situation.choices, initial=Situation.APOLOGISING
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ModeForm(forms.Form):
    mode = forms.ChoiceField(label=_("On a forbidden phrase"), choices=GuardMode.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CheckForm(forms.Form):
    text = forms.CharField(label=_("Text"), required=False, strip=False, max_length=20_000)
    office = forms.IntegerField(label=_("Office"), required=False)
