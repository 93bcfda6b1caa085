"""Who sees which planned tasks: like work orders, the members of the task's service unit, and
everyone of an office where they see all orders (the desk, managers, the head)."""

from __future__ import annotations

from typing import Any, Self

from django.db.models import Q

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.querysets import OfficeScopedQuerySet
from estate.planned.choices import Target, TaskStatus


class PlannedTaskQuerySet(OfficeScopedQuerySet):
    def visible_to(self, user: Any, capability: Capability | None = None) -> Self:
        """The tasks of the offices where ``user`` holds ``capability`` (VIEW_ORDERS unless
        named): all of them where the user also sees every order, else their units' tasks."""
        scope = scope_for(user)
        allowed = scope.office_ids_with(capability or Capability.VIEW_ORDERS)
        every = allowed & scope.office_ids_with(Capability.VIEW_ALL_ORDERS)
        own = allowed - every
        condition = Q(pk__in=[])
        if every:
            condition |= Q(office_id__in=every)
        if own:
            condition |= Q(office_id__in=own, service_unit_id__in=scope.service_unit_ids)
        return self.filter(condition)

    def open(self) -> Self:
        return self.filter(status=TaskStatus.OPEN)


def field_tasks(user: Any, now: Any, limit: int = 20) -> list[Any]:
    """The open tasks of the user's units due by ``now`` (the field view's section)."""
    from estate.planned.models import PlannedTask

    return list(
        PlannedTask.objects.visible_to(user, Capability.DO_WORK)
        .filter(
            status=TaskStatus.OPEN,
            due_at__lte=now,
            service_unit_id__in=scope_for(user).service_unit_ids,
        )
        .exclude(plan__target=Target.ROUTE)  # patrols show in their own section, to be scanned
        .select_related("plan", "equipment")
        .order_by("window_ends_at", "id")[:limit]
    )
