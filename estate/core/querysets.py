"""Base querysets shared by every office-scoped model: the one scope call,
``visible_to(user, capability)``."""

from __future__ import annotations

from typing import Any, Self

from django.db import models

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability


def read_capability(model: type[models.Model]) -> Capability:
    """The capability that reads the model's rows when a caller names none (``read_capability``
    on the model; the registry's by default)."""
    return getattr(model, "read_capability", Capability.VIEW_REGISTRY)


class OfficeScopedQuerySet(models.QuerySet):
    """Rows that belong to one office; ``visible_to`` applies the access scope."""

    office_lookup = "office_id"

    def visible_to(self, user: Any, capability: Capability | None = None) -> Self:
        """The rows of the offices where ``user`` holds ``capability`` (the model's read
        capability when not named)."""
        offices = scope_for(user).office_ids_with(capability or read_capability(self.model))
        if not offices:
            return self.none()
        return self.filter(**{f"{self.office_lookup}__in": offices})

    def in_office(self, office: Any) -> Self:
        return self.filter(**{self.office_lookup: getattr(office, "pk", office)})


class SharedOrOfficeQuerySet(OfficeScopedQuerySet):
    """Rows whose office may be empty: shared by the whole company (no office) or one office's."""

    def for_office(self, office: Any) -> Self:
        """The company's shared rows and those of ``office``."""
        office_id = getattr(office, "pk", office)
        return self.filter(models.Q(office__isnull=True) | models.Q(office_id=office_id))

    def visible_to(self, user: Any, capability: Capability | None = None) -> Self:
        offices = scope_for(user).office_ids_with(capability or read_capability(self.model))
        if not offices:
            return self.none()
        return self.filter(models.Q(office__isnull=True) | models.Q(office_id__in=offices))
