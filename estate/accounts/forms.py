"""The staff sign-in form: Django's, with wrong tries slowed and locked per account and held to a
rate per address (``accounts.throttle``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from estate.accounts import throttle
from estate.core.addresses import client_address
from estate.core.forms import bootstrap


def staff_keys(username: str, address: str) -> throttle.Keys:
    return throttle.attempt_keys(f"user/{username}", address)


class StaffSignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is not right."),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if not username or self.cleaned_data.get("password") is None:
            return super().clean()
        keys = staff_keys(username, client_address(self.request) if self.request else "")
        try:
            throttle.check(keys)
        except throttle.Refused as refused:
            raise ValidationError(str(refused), code="throttled") from None
        try:
            cleaned = super().clean()
        except ValidationError:
            try:
                throttle.failed(keys)
            except throttle.Refused as refused:
                raise ValidationError(str(refused), code="throttled") from None
            raise
        throttle.clear(*keys[0])
        return cleaned


class OwnPasswordForm(PasswordChangeForm):
    """Changing one's own password: the old one, then the new one twice (Django's validators)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "new_password1"
        ].help_text = password_validation.password_validators_help_text_html()
        bootstrap(self)


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=60,
        help_text=_("For example: the meter-reading app on the office tablet."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
