from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.navigation import GROUPS, NAVIGATION


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu entries this user's roles allow, what they may do, and their unread notifications."""
    user = getattr(request, "user", None)
    scope = scope_for(user)
    if not scope.is_staff_member:
        return {"nav_items": [], "scope": scope, "capabilities": frozenset()}
    items: list[dict[str, Any]] = []
    menus: dict[str, dict[str, Any]] = {}
    for item in NAVIGATION:
        if not scope.can(item.capability):
            continue
        entry = {"label": item.label, "url": reverse(item.url_name), "section": item.section}
        if not item.group:
            items.append(entry)
            continue
        if item.group not in menus:
            menus[item.group] = {"label": GROUPS[item.group], "children": [], "sections": set()}
        menus[item.group]["children"].append(entry)
        menus[item.group]["sections"].add(item.section)
    items += [menus[group] for group in GROUPS if group in menus]
    from estate.notifications.models import Notification

    def unread() -> int:
        return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()  # type: ignore[union-attr]

    return {
        "nav_items": items,
        "scope": scope,
        "capabilities": frozenset(c.value for c in Capability if scope.can(c)),
        "unread_notifications": unread,  # a callable: counted only when a template shows it
    }
