"""The one base of every staff API viewset: who may call it and which rows it answers are
decided by its capability, through the same scope call as the pages.

A viewset names ``capability``: a caller who holds it in no office gets 403; the rows are those
of the offices where they hold it (``visible_to(user, capability)``), so another office's id is
a 404. Lists are cursor pages (``core.api.CursorPages``), newest first unless ``ordering`` says. Actions that need more (taking a payment, approving a refund) ask
``require_capability`` in the record's own office.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from rest_framework import mixins, viewsets
from rest_framework.permissions import BasePermission

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.permissions import require_capability


class HoldsCapability(BasePermission):
    """Staff holding the viewset's capability in at least one office."""

    def has_permission(self, request: Any, view: Any) -> bool:
        scope = scope_for(request.user)
        return scope.is_staff_member and scope.can(view.capability)


class ScopedViewSet(viewsets.GenericViewSet):
    capability: ClassVar[Capability] = Capability.VIEW_REGISTRY
    # Actions that need more than reading, and the capability each needs in the record's office.
    action_capabilities: ClassVar[dict[str, Capability]] = {}
    permission_classes = [HoldsCapability]

    def get_object(self) -> Any:
        found = super().get_object()
        needed = self.action_capabilities.get(self.action or "")
        if needed is not None:
            require_capability(self.request.user, needed, found.office_id)
        return found

    def scoped(self, rows: Any) -> QuerySet[Any]:
        """``rows`` (a manager or queryset) limited to what the caller may read here."""
        scoped: QuerySet[Any] = rows.visible_to(self.request.user, self.capability)
        return scoped


class ScopedReadOnlyViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, ScopedViewSet):
    """List and detail, scoped."""
