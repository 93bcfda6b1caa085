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
    """Every right the code asks about. Each is held per office, through a role in that office
    (or a company-wide role, in every office of the company)."""

    VIEW_REGISTRY = "view_registry"
    EDIT_REGISTRY = "edit_registry"
    IMPORT_ROSTER = "import_roster"
    EXPORT_ROSTER = "export_roster"
    # Any resident's full number; ``REVEAL_HANDLED_PHONE`` only the requester's of an open order
    # the person handles (assigned to them or to a team they are in).
    REVEAL_PHONE = "reveal_phone"
    REVEAL_HANDLED_PHONE = "reveal_handled_phone"
    # Work orders: the desk opens, dispatches, replies and closes; teams do the work.
    # VIEW_ORDERS sees the orders of one's teams and those assigned to one; VIEW_ALL_ORDERS every
    # order of the office (and the desk's records around them: contacts, return visits).
    VIEW_ORDERS = "view_orders"
    VIEW_ALL_ORDERS = "view_all_orders"
    RUN_DESK = "run_desk"
    DO_WORK = "do_work"
    LEAD_TEAM = "lead_team"
    # Return visits (R-A4.0): managers, receptionists and team leads make them; without
    # VIEW_ALL_ORDERS one sees only the visits given to one.
    RECORD_VISITS = "record_visits"
    # Complaints (R-A2.0): each reaches, within 10 minutes, a person who may handle one
    # (HANDLE_COMPLAINTS: managers and the head); one logged without a handler goes to the
    # manager on duty, else to the next of those who take them in turn (COMPLAINTS_ROTA).
    HANDLE_COMPLAINTS = "handle_complaints"
    COMPLAINTS_ROTA = "complaints_rota"
    # The head's own answers: rectifications after attitude complaints, important complaints.
    ANSWER_AS_HEAD = "answer_as_head"
    # Running the office: the duty roster, the phrase library, survey plans, questionnaires,
    # the office's knowledge articles.
    MANAGE_OFFICE = "manage_office"
    WRITE_COMPANY_ARTICLES = "write_company_articles"
    # Emergencies: leadership reviews (approves or sends back) incident reports.
    REVIEW_INCIDENTS = "review_incidents"
    # Fees: the cashier bills and takes money; the head approves voids and refunds.
    COLLECT_FEES = "collect_fees"
    APPROVE_REFUNDS = "approve_refunds"
    # Figures: the dashboard and monthly report; evaluation of service units and staff
    # (EVALUATE: the units one leads; EVALUATE_ALL: every unit and person of the office).
    VIEW_REPORTS = "view_reports"
    EVALUATE = "evaluate"
    EVALUATE_ALL = "evaluate_all"


_EVERYONE = frozenset({Capability.VIEW_REGISTRY})
_DESK = frozenset(
    {
        Capability.RUN_DESK,
        Capability.RECORD_VISITS,
        Capability.VIEW_ORDERS,
        Capability.VIEW_ALL_ORDERS,
        Capability.REVEAL_PHONE,
        Capability.EXPORT_ROSTER,
    }
)
_FIELD = frozenset({Capability.VIEW_ORDERS, Capability.DO_WORK, Capability.REVEAL_HANDLED_PHONE})

CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.RECEPTIONIST: _EVERYONE | _DESK,
    Role.MANAGER: _EVERYONE
    | _DESK
    | _FIELD
    | {
        Capability.EDIT_REGISTRY,
        Capability.VIEW_REPORTS,
        Capability.MANAGE_OFFICE,
        Capability.HANDLE_COMPLAINTS,
        Capability.COMPLAINTS_ROTA,
    },
    Role.HEAD: _EVERYONE
    | _DESK
    | _FIELD
    | {
        Capability.EDIT_REGISTRY,
        Capability.IMPORT_ROSTER,
        Capability.LEAD_TEAM,
        Capability.HANDLE_COMPLAINTS,
        Capability.ANSWER_AS_HEAD,
        Capability.MANAGE_OFFICE,
        Capability.COLLECT_FEES,
        Capability.APPROVE_REFUNDS,
        Capability.VIEW_REPORTS,
        Capability.EVALUATE,
        Capability.EVALUATE_ALL,
    },
    Role.TEAM_LEAD: _EVERYONE
    | _FIELD
    | {Capability.LEAD_TEAM, Capability.EVALUATE, Capability.RECORD_VISITS},
    Role.WORKER: _EVERYONE | _FIELD,
    Role.CASHIER: _EVERYONE
    | {Capability.REVEAL_PHONE, Capability.EXPORT_ROSTER, Capability.COLLECT_FEES},
    # Leadership reads orders and figures across offices and reviews incident reports; it has
    # no need for residents' numbers.
    Role.LEADERSHIP: _EVERYONE
    | {
        Capability.VIEW_ORDERS,
        Capability.VIEW_ALL_ORDERS,
        Capability.EXPORT_ROSTER,
        Capability.VIEW_REPORTS,
        Capability.EVALUATE,
        Capability.EVALUATE_ALL,
        Capability.REVIEW_INCIDENTS,
        Capability.WRITE_COMPANY_ARTICLES,
    },
    Role.ADMINISTRATOR: _EVERYONE
    | {
        Capability.EDIT_REGISTRY,
        Capability.IMPORT_ROSTER,
        Capability.EXPORT_ROSTER,
        Capability.WRITE_COMPANY_ARTICLES,
    },
}


def holds(role: str, capability: Capability) -> bool:
    """Whether ``role`` grants ``capability`` (the only question asked of the table)."""
    return capability in CAPABILITIES.get(role, frozenset())
