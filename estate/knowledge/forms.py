from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.core.forms import bootstrap
from estate.knowledge.models import Category
from estate.language.widgets import RequesterTextarea, RequesterTextInput


class ArticleForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    title = forms.CharField(label=_("Title"), max_length=120, widget=RequesterTextInput)
    body = forms.CharField(label=_("Text"), widget=RequesterTextarea(attrs={"rows": 12}))
    is_public = forms.BooleanField(
        label=_("May be given to requesters (with a reply or a handout)"), required=False
    )
    company_wide = forms.BooleanField(label=_("For the whole company"), required=False)

    def __init__(
        self, *args: Any, office: Any, may_write_company_wide: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.office = office  # whose phrase library the text boxes offer
        if not may_write_company_wide:
            del self.fields["company_wide"]
        bootstrap(self)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All")), *Category.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
