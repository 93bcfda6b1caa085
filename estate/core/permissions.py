"""Permission checks for views and the API, built on ``estate.accounts.access``."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability

View = Callable[..., HttpResponseBase]


def staff_view(capability: Capability = Capability.VIEW_REGISTRY) -> Callable[[View], View]:
    """Decorator: signed-in staff holding ``capability`` in at least one office.

    Residents are sent to the portal; anyone else without the capability gets 403.
    Per-record checks happen through ``visible_to`` (404 for other offices' rows).
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            scope = scope_for(user)
            if not scope.is_staff_member:
                if hasattr(user, "resident"):
                    return redirect("portal:home")
                raise PermissionDenied
            if not scope.can(capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.capability = capability  # type: ignore[attr-defined]  # read by the access tests
        return wrapped

    return decorator


def require_capability(user: Any, capability: Capability, office_id: int) -> None:
    """Raise 403 unless ``user`` holds ``capability`` in that office."""
    if not scope_for(user).can(capability, office_id):
        raise PermissionDenied


class IsStaffMember(BasePermission):
    """API default: staff with at least one role; rows are then limited by ``visible_to``."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return scope_for(request.user).is_staff_member


OFFICE_NUMBER = re.compile(r"[0-9]{1,9}")


class FieldRefused(BadRequest):
    """A 400 about one field of the request: pages show the message, the API names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def office_for(request: Any, capability: Capability, *, required: bool = False) -> Any:
    """The office a page or API call is about, where the user holds ``capability``.

    ``office`` from the query or the body names it. Without one, the user's only office with
    the capability; with several, the first by name, unless ``required`` (an API write, a run
    that changes many rows), which then asks for it. A malformed or missing number is a 400,
    an office the user may not act in (or that does not exist) a 403, each with a message; it
    is never silently swapped for another.
    """
    from estate.properties.models import Office  # properties' views use this module

    allowed = scope_for(request.user).office_ids_with(capability)
    if not allowed:
        raise PermissionDenied(_("You have no office in which you may do this."))
    wanted = _office_parameter(request)
    if wanted is None:
        if required and len(allowed) > 1:
            raise FieldRefused("office", _("Choose the office (you work at several)."))
        return Office.objects.filter(pk__in=allowed).order_by("name", "pk").first()
    if not OFFICE_NUMBER.fullmatch(wanted):
        raise FieldRefused("office", _("“office” must be the number of an office."))
    if int(wanted) not in allowed:
        raise PermissionDenied(_("You may not do this in that office, or it does not exist."))
    return Office.objects.get(pk=int(wanted))


def _office_parameter(request: Any) -> str | None:
    """``office`` from the query string, else a form or JSON body; None when not given."""
    query = getattr(request, "query_params", request.GET)
    value = query.get("office")
    if value in (None, ""):
        body: Any = request.data if hasattr(request, "query_params") else request.POST
        value = body.get("office") if isinstance(body, dict | QueryDict) else None
    if value in (None, ""):
        return None
    return str(value).strip()


def safe_next(request: HttpRequest, *, fallback: str) -> str:
    """The ``next`` page a form asks to return to, if it is on this site; else ``fallback``
    (never a redirect to another host)."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback
