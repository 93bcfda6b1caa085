from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.navigation import NAVIGATION


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu entries this user's roles allow, what they may do, and their unread notifications."""
    user = getattr(request, "user", None)
    scope = scope_for(user)
    if not scope.is_staff_member:
        return {"nav_items": [], "scope": scope, "capabilities": frozenset()}
    items = [
        {"label": item.label, "url": reverse(item.url_name), "section": item.section}
        for item in NAVIGATION
        if scope.can(item.capability)
    ]
    from estate.notifications.models import Notification

    def unread() -> int:
        return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()  # type: ignore[union-attr]

    return {
        "nav_items": items,
        "scope": scope,
        "capabilities": frozenset(c.value for c in Capability if scope.can(c)),
        "unread_notifications": unread,  # a callable: counted only when a template shows it
    }
