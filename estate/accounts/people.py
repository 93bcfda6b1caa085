"""Finding the people who hold a role in an office (heads to alert, managers to escalate to, …)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from estate.accounts.models import User
from estate.accounts.roles import CAPABILITIES, COMPANY_WIDE, Capability, holds


def people_with_role(office: Any, role: str) -> list[User]:
    """Active users with ``role`` in ``office``; for company-wide roles, in the office's company."""
    where = (
        Q(staff_roles__company_id=office.company_id)
        if role in COMPANY_WIDE
        else Q(staff_roles__office=office)
    )
    return list(
        User.objects.filter(where, staff_roles__role=role, is_active=True).distinct().order_by("id")
    )


def people_who_can(office: Any, capability: Capability) -> QuerySet[User]:
    """Active users holding ``capability`` in ``office`` through a role there or company-wide."""
    roles = sorted(role for role in CAPABILITIES if holds(role, capability))
    here = Q(staff_roles__office=office) | Q(
        staff_roles__office__isnull=True, staff_roles__company_id=office.company_id
    )
    return User.objects.filter(here, staff_roles__role__in=roles, is_active=True).distinct()
