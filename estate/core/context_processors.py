from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from estate.accounts.access import scope_for
from estate.core.navigation import NAVIGATION


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu entries this user's roles allow, and the offices they see."""
    user = getattr(request, "user", None)
    scope = scope_for(user)
    if not scope.is_staff_member:
        return {"nav_items": [], "scope": scope}
    items = [
        {"label": item.label, "url": reverse(item.url_name), "section": item.section}
        for item in NAVIGATION
        if scope.can(item.capability)
    ]
    return {"nav_items": items, "scope": scope}
