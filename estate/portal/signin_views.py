"""The portal's sign-in page: phone number and password, or a code sent by SMS."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from estate.accounts import signin
from estate.core.addresses import client_address
from estate.core.forms import bootstrap


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code from the SMS"),
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and hasattr(request.user, "resident"):
        return redirect("portal:home")
    form = PhoneForm(request.POST or None)
    address = client_address(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        how = request.POST.get("how")
        try:
            if how == "send_code":
                signin.send_code(data["phone"], address=address)
                messages.info(
                    request, gettext("If this number is registered, a code is on its way by SMS.")
                )
                return render(request, "portal/sign_in.html", {"form": form, "code_sent": True})
            if how == "code":
                user = signin.with_code(data["phone"], data["code"], address=address)
            else:
                user = signin.with_password(
                    data["phone"], data["password"], address=address, request=request
                )
        except signin.SignInRefused as refused:
            form.add_error(None, str(refused))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("portal:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/sign_in.html", {"form": form, "code_sent": False}, status=status)
