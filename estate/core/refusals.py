"""The pages shown for a refused request (400, 403), with the reason in the user's language
instead of Django's bare English page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "core/refused.html", {"message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _refused(request, str(exception) or _("The request could not be understood."), 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _refused(request, str(exception) or _("You may not open this page."), 403)
