"""Permission checks for views and the API, built on ``estate.accounts.access``."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
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


def office_of_request(request: HttpRequest) -> Any:
    """The office a page is about: ``?office=`` when the user may see it, else their first one."""
    from estate.properties.models import Office  # properties' views use this module

    scope = scope_for(request.user)
    wanted = request.GET.get("office") or request.POST.get("office")
    ids = sorted(scope.office_ids)
    if not ids:
        raise Http404
    number = int(wanted) if wanted and re.fullmatch(r"[0-9]{1,9}", wanted) else None
    office_id = number if number in ids else ids[0]
    return Office.objects.get(pk=office_id)
