"""The one place that decides who sees which office's records, and may do what in it.

Deny by default: a user holds a capability in an office only through a ``StaffRole`` in it,
or a company-wide role in its company, whose row of the capability table
(``estate.accounts.roles``) grants it. Querysets ask ``visible_to(user, capability)``; pages
and the API pick their office with ``office_for(request, capability)``
(``estate.core.permissions``). A capability held in office B never opens office A's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Q, Value

from estate.accounts.roles import COMPANY_WIDE, Capability, holds

_CACHE_ATTR = "_estate_access_scope"
_LEADS = "(leads)"  # not a role: marks the service units whose lead the user is


@dataclass(frozen=True)
class OfficeInfo:
    id: int
    name: str
    code: str
    timezone: str


@dataclass(frozen=True)
class AccessScope:
    """What one user may see: office ids, and the roles held in each."""

    office_ids: frozenset[int] = frozenset()
    roles_by_office: dict[int, frozenset[str]] = field(default_factory=dict)
    offices: tuple[OfficeInfo, ...] = ()
    service_unit_ids: frozenset[int] = frozenset()  # the teams the user leads or works in
    led_unit_ids: frozenset[int] = frozenset()  # the teams the user leads
    is_staff_member: bool = False

    @property
    def timezone(self) -> str | None:
        """The zone to show times in: the user's offices' zone when they all share one."""
        zones = {office.timezone for office in self.offices}
        return zones.pop() if len(zones) == 1 else None

    def roles_in(self, office_id: int) -> frozenset[str]:
        return self.roles_by_office.get(office_id, frozenset())

    def all_roles(self) -> frozenset[str]:
        roles: set[str] = set()
        for office_roles in self.roles_by_office.values():
            roles |= office_roles
        return frozenset(roles)

    def offices_with(self, capability: Capability) -> list[OfficeInfo]:
        """The offices in which the user's roles grant ``capability``."""
        return [office for office in self.offices if self.can(capability, office.id)]

    def office_ids_with(self, capability: Capability) -> frozenset[int]:
        """The ids of the offices in which the user's roles grant ``capability``."""
        return frozenset(
            office_id
            for office_id, roles in self.roles_by_office.items()
            if any(holds(role, capability) for role in roles)
        )

    def can(self, capability: Capability, office_id: int | None = None) -> bool:
        """Whether any role (in ``office_id``, or anywhere when None) grants ``capability``."""
        roles = self.all_roles() if office_id is None else self.roles_in(office_id)
        return any(holds(role, capability) for role in roles)


_NOBODY = AccessScope()


def scope_for(user: Any) -> AccessScope:
    """The user's access scope, computed once per user object (i.e. per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _NOBODY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope after the user's roles changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _compute_scope(user: Any) -> AccessScope:
    from estate.accounts.models import StaffRole
    from estate.properties.models import Office, ServiceUnit

    roles_by_office: dict[int, set[str]] = {}
    company_wide: dict[int, set[str]] = {}
    service_unit_ids: set[int] = set()
    led_unit_ids: set[int] = set()
    # One query: the user's roles, and (as LEADS rows) the service units naming them as lead.
    rows = (
        StaffRole.objects.filter(user=user)
        .order_by()
        .values_list("role", "company_id", "office_id", "service_unit_id")
        .union(
            ServiceUnit.objects.filter(lead=user)
            .order_by()
            .annotate(role=Value(_LEADS, output_field=CharField()))
            .values_list("role", "office__company_id", "office_id", "id"),
            all=True,
        )
    )
    for role, company_id, office_id, service_unit_id in rows:
        if role == _LEADS:
            led_unit_ids.add(service_unit_id)
            continue
        if service_unit_id is not None:
            service_unit_ids.add(service_unit_id)
            if holds(role, Capability.LEAD_TEAM):
                led_unit_ids.add(service_unit_id)
        if role in COMPANY_WIDE:
            company_wide.setdefault(company_id, set()).add(role)
        elif office_id is not None:
            roles_by_office.setdefault(office_id, set()).add(role)
    if not roles_by_office and not company_wide:
        return _NOBODY
    offices = []
    for office in Office.objects.filter(
        Q(id__in=roles_by_office) | Q(company_id__in=company_wide)
    ).only("id", "name", "code", "timezone", "company_id"):
        roles_by_office.setdefault(office.id, set()).update(company_wide.get(office.company_id, ()))
        offices.append(OfficeInfo(office.id, office.name, office.code, office.timezone))
    return AccessScope(
        office_ids=frozenset(roles_by_office),
        roles_by_office={k: frozenset(v) for k, v in roles_by_office.items()},
        offices=tuple(offices),
        service_unit_ids=frozenset(service_unit_ids | led_unit_ids),
        led_unit_ids=frozenset(led_unit_ids),
        is_staff_member=True,
    )
