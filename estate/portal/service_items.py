"""What a resident is told when they choose a service item (一次性告知): the same procedure,
papers, materials, fee and team as the desk's printed handout, and how long the office takes,
from its own time rules, so the first contact tells everything."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from estate.frontdesk.models import ServiceItem
from estate.timerules.choices import DEFAULT_POLICIES, Rule
from estate.timerules.models import ClockPolicy
from estate.workorders.choices import Kind

# The office's time rules a requester can count on, in the order they happen.
TOLD_RULES = (
    Rule.ONLINE_DISPATCH,
    Rule.CONCIERGE_ACCEPTED,
    Rule.SAME_DAY_COMPLETION,
    Rule.SAME_DAY_REPLY,
)


def chosen(items: QuerySet[ServiceItem], value: Any) -> ServiceItem | None:
    """The item the resident chose among ``items`` (an id as typed in a form), or None."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return items.select_related("service_unit").filter(pk=pk).first()


def how_long(item: ServiceItem) -> list[str]:
    """The office's active time rules for the item's kind, as their names say them; the
    defaults stand for rules the office has not set yet (they are created with its first order)."""
    policies = {
        p.rule: p for p in ClockPolicy.objects.filter(office_id=item.office_id, rule__in=TOLD_RULES)
    }
    said = []
    for rule in TOLD_RULES:
        if rule == Rule.ONLINE_DISPATCH and item.kind == Kind.CONCIERGE:
            continue  # concierge help goes straight to its team (see clocks.rules_for)
        policy = policies.get(rule)
        if policy is None:
            kinds = DEFAULT_POLICIES[rule][3]
            policy = ClockPolicy(rule=rule, kinds=kinds, is_active=True)
        if policy.is_active and policy.applies_to(item.kind):
            said.append(str(Rule(rule).label))
    return said


def notification(item: ServiceItem | None) -> dict[str, Any]:
    """The template context of the item's one-time notification (empty without an item)."""
    if item is None:
        return {"item": None}
    return {"item": item, "how_long": how_long(item)}
