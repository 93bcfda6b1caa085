"""The text box for anything addressed to a requester: it comes with the phrase library and the
guard's live check (see ``templatetags/civil.py`` and ``static/estate/civil.js``)."""

from __future__ import annotations

from django import forms


class RequesterTextarea(forms.Textarea):
    """A textarea whose text reaches a requester; ``_form_fields.html`` adds the phrase picker."""

    civil = True


class RequesterTextInput(forms.TextInput):
    """A one-line text that reaches a requester (a title, a reason told to them)."""

    civil = True
