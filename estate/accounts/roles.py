"""Staff roles and what each may do.

One table decides access: ``CAPABILITIES`` maps each role to what it may do, and
``COMPANY_WIDE`` says which roles see every office of their company.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTIONIST = "receptionist", _("Receptionist")
    MANAGER = "manager", _("Manager")
    HEAD = "head", _("Office head")
    TEAM_LEAD = "team_lead", _("Team lead")
    WORKER = "worker", _("Worker")
    CASHIER = "cashier", _("Cashier")
    LEADERSHIP = "leadership", _("Company leadership")
    ADMINISTRATOR = "administrator", _("Administrator")


COMPANY_WIDE = frozenset({Role.LEADERSHIP, Role.ADMINISTRATOR})


class Capability(StrEnum):
    VIEW_REGISTRY = "view_registry"
    EDIT_REGISTRY = "edit_registry"
    IMPORT_ROSTER = "import_roster"
    EXPORT_ROSTER = "export_roster"
    REVEAL_PHONE = "reveal_phone"
    # Work orders: the desk opens, dispatches, replies and closes; teams do the work.
    RUN_DESK = "run_desk"
    DO_WORK = "do_work"
    LEAD_TEAM = "lead_team"
    # Fees: the cashier bills and takes money; the head approves voids and refunds.
    COLLECT_FEES = "collect_fees"
    APPROVE_REFUNDS = "approve_refunds"
    # Figures: the dashboard and monthly report; evaluation of service units and staff
    # (team leads see their own unit's, heads and leadership every unit's).
    VIEW_REPORTS = "view_reports"
    EVALUATE = "evaluate"


_EVERYONE = frozenset({Capability.VIEW_REGISTRY})
_DESK = frozenset({Capability.RUN_DESK, Capability.REVEAL_PHONE, Capability.EXPORT_ROSTER})

CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.RECEPTIONIST: _EVERYONE | _DESK,
    Role.MANAGER: _EVERYONE
    | _DESK
    | {Capability.EDIT_REGISTRY, Capability.DO_WORK, Capability.VIEW_REPORTS},
    Role.HEAD: _EVERYONE
    | _DESK
    | {
        Capability.EDIT_REGISTRY,
        Capability.IMPORT_ROSTER,
        Capability.DO_WORK,
        Capability.LEAD_TEAM,
        Capability.COLLECT_FEES,
        Capability.APPROVE_REFUNDS,
        Capability.VIEW_REPORTS,
        Capability.EVALUATE,
    },
    Role.TEAM_LEAD: _EVERYONE
    | {Capability.REVEAL_PHONE, Capability.DO_WORK, Capability.LEAD_TEAM, Capability.EVALUATE},
    Role.WORKER: _EVERYONE | {Capability.REVEAL_PHONE, Capability.DO_WORK},
    Role.CASHIER: _EVERYONE
    | {Capability.REVEAL_PHONE, Capability.EXPORT_ROSTER, Capability.COLLECT_FEES},
    # Leadership reads figures across offices; it has no need for residents' numbers.
    Role.LEADERSHIP: _EVERYONE
    | {Capability.EXPORT_ROSTER, Capability.VIEW_REPORTS, Capability.EVALUATE},
    Role.ADMINISTRATOR: _EVERYONE
    | {Capability.EDIT_REGISTRY, Capability.IMPORT_ROSTER, Capability.EXPORT_ROSTER},
}
