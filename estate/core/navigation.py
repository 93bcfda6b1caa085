"""The staff navigation, by role: each entry names the capability it needs."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import Capability


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    capability: Capability
    section: str
    group: str = ""  # items of a group share one drop-down menu


# The drop-down menus, in the order they follow the daily items.
GROUPS: dict[str, str | Promise] = {
    "service": _("Service"),
    "registry": _("Registry"),
}


NAVIGATION: tuple[NavItem, ...] = (
    NavItem(_("Overview"), "core:home", Capability.VIEW_REGISTRY, "home"),
    NavItem(_("Front desk"), "frontdesk:console", Capability.RUN_DESK, "desk"),
    NavItem(_("My jobs"), "workorders:jobs", Capability.DO_WORK, "jobs"),
    NavItem(_("Work orders"), "workorders:queue", Capability.VIEW_ORDERS, "orders"),
    NavItem(_("Time rules"), "timerules:board", Capability.VIEW_ORDERS, "clocks"),
    NavItem(_("Planned tasks"), "planned:tasks", Capability.VIEW_ORDERS, "planned", "service"),
    NavItem(_("Return visits"), "visits:list", Capability.RECORD_VISITS, "visits"),
    NavItem(_("Dashboard"), "reports:dashboard", Capability.VIEW_REPORTS, "reports"),
    NavItem(_("Evaluation"), "reports:evaluation", Capability.EVALUATE, "evaluation"),
    NavItem(_("Fees"), "billing:home", Capability.COLLECT_FEES, "billing"),
    NavItem(_("Notices"), "notices:list", Capability.VIEW_REGISTRY, "notices", "service"),
    NavItem(_("Community"), "community:office", Capability.VIEW_REGISTRY, "community", "service"),
    NavItem(
        _("Civil language"), "language:library", Capability.VIEW_REGISTRY, "language", "service"
    ),
    NavItem(
        _("Knowledge base"), "knowledge:list", Capability.VIEW_REGISTRY, "knowledge", "service"
    ),
    NavItem(
        _("Messages to requesters"),
        "messaging:templates",
        Capability.VIEW_REGISTRY,
        "message_templates",
        "service",
    ),
    NavItem(
        _("Requesters not reached"),
        "messaging:unreached",
        Capability.RUN_DESK,
        "unreached",
        "service",
    ),
    NavItem(_("Patrol routes"), "patrols:routes", Capability.MANAGE_OFFICE, "patrols", "service"),
    NavItem(_("Contacts"), "frontdesk:contacts", Capability.RUN_DESK, "contacts", "service"),
    NavItem(_("Referrals"), "frontdesk:referrals", Capability.RUN_DESK, "referrals", "service"),
    NavItem(
        _("Service catalogue"),
        "frontdesk:catalogue",
        Capability.VIEW_REGISTRY,
        "catalogue",
        "service",
    ),
    NavItem(_("Units"), "properties:unit_list", Capability.VIEW_REGISTRY, "units", "registry"),
    NavItem(
        _("Residents"),
        "properties:resident_list",
        Capability.VIEW_REGISTRY,
        "residents",
        "registry",
    ),
    NavItem(
        _("Buildings"),
        "properties:building_list",
        Capability.VIEW_REGISTRY,
        "buildings",
        "registry",
    ),
    NavItem(
        _("Service units"),
        "properties:service_unit_list",
        Capability.VIEW_REGISTRY,
        "service_units",
        "registry",
    ),
    NavItem(_("Equipment"), "equipment:list", Capability.VIEW_REGISTRY, "equipment", "registry"),
    NavItem(
        _("Roster import and export"),
        "properties:roster",
        Capability.EXPORT_ROSTER,
        "roster",
        "registry",
    ),
)
