"""Base querysets shared by every office-scoped model."""

from __future__ import annotations

from typing import Any, Self

from django.db import models

from estate.accounts.access import scope_for


class OfficeScopedQuerySet(models.QuerySet):
    """Rows that belong to one office; ``visible_to(user)`` applies the access scope."""

    office_lookup = "office_id"

    def visible_to(self, user: Any) -> Self:
        scope = scope_for(user)
        if not scope.office_ids:
            return self.none()
        return self.filter(**{f"{self.office_lookup}__in": scope.office_ids})

    def in_office(self, office: Any) -> Self:
        return self.filter(**{self.office_lookup: getattr(office, "pk", office)})


class SharedOrOfficeQuerySet(OfficeScopedQuerySet):
    """Rows whose office may be empty: shared by the whole company (no office) or one office's."""

    def for_office(self, office: Any) -> Self:
        """The company's shared rows and those of ``office``."""
        office_id = getattr(office, "pk", office)
        return self.filter(models.Q(office__isnull=True) | models.Q(office_id=office_id))

    def visible_to(self, user: Any) -> Self:
        scope = scope_for(user)
        if not scope.office_ids:
            return self.none()
        return self.filter(models.Q(office__isnull=True) | models.Q(office_id__in=scope.office_ids))
