"""One's own account: the password, the API tokens, signing out everywhere."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from estate.accounts import tokens
from estate.accounts.forms import NewTokenForm, OwnPasswordForm
from estate.accounts.models import ApiToken


def own_account(view: Any) -> Any:
    """Signed in, as staff: residents keep their account in the portal."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if hasattr(request.user, "resident"):
            return redirect("portal:home")
        return view(request, *args, **kwargs)

    return wrapped


def _page(request: HttpRequest, **context: Any) -> HttpResponse:
    context.setdefault("token_form", NewTokenForm())
    mine = ApiToken.objects.filter(user=request.user)  # type: ignore[misc]
    context["tokens"] = mine.order_by("-created_at", "-id")[:50]
    status = 400 if context["token_form"].errors else 200
    return render(request, "accounts/account.html", context, status=status)


@own_account
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    return _page(request)


@own_account
@require_POST
def new_token(request: HttpRequest) -> HttpResponse:
    form = NewTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, token_form=form)
    token, key = tokens.issue(request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
    return _page(request, new_token=token, new_key=key)


@own_account
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke(token, by=request.user)  # type: ignore[arg-type]
    messages.success(
        request, _("The token %(prefix)s… no longer works.") % {"prefix": token.prefix}
    )
    return redirect("accounts:account")


@own_account
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    tokens.sign_out_everywhere(request.user)  # type: ignore[arg-type]
    logout(request)
    messages.success(
        request, _("You are signed out on every device, and every API token has ended.")
    )
    return redirect("accounts:login")


@own_account
@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    form = OwnPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()  # other sessions and every API token end with the old password
        update_session_auth_hash(request, user)
        messages.success(
            request,
            _("Your password is changed. Other sessions and your API tokens have ended."),
        )
        return redirect("accounts:account")
    status = 400 if form.errors else 200
    return render(request, "accounts/password.html", {"form": form}, status=status)


class SignOut(auth_views.LogoutView):
    """Sign out, and have the browser forget the pages the service worker kept (orders, with
    requesters' names and places) on a phone that may be shared; steps still kept on the phone
    to be sent stay (they are not in the cache)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        answer = super().post(request, *args, **kwargs)
        answer["Clear-Site-Data"] = '"cache"'
        return answer
