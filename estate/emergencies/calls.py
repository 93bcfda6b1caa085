"""Who is called to an emergency: the service units each kind of emergency calls (an office's plan,
or the defaults below), and the one-tap check-in link texted to each responder.

The office head is always called (see ``actions.open_emergency``); a plan names the units
besides: a fire calls security and maintenance, a person hurt calls security (and so the head).
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from estate.emergencies.models import CallPlan, Category, Responder
from estate.properties.choices import ServiceUnitKind as K
from estate.properties.models import Office, ServiceUnit

DEFAULT_KINDS: dict[str, tuple[str, ...]] = {
    Category.FIRE: (K.SECURITY, K.REPAIR),
    Category.INJURY: (K.SECURITY,),
    Category.FLOODING: (K.REPAIR, K.UTILITIES, K.CLEANING),
    Category.LIFT: (K.REPAIR, K.SECURITY),
    Category.GAS: (K.SECURITY, K.UTILITIES, K.REPAIR),
    Category.POWER: (K.UTILITIES, K.REPAIR),
    Category.SECURITY: (K.SECURITY,),
    Category.OTHER: (K.SECURITY,),
}

# A responder's link works for this long after the call (the rule asks for 5 minutes; a late
# check-in still says when they came).
CHECK_IN_LINK_HOURS = 12
_SALT = "estate.emergencies.check-in"


def plans(office: Office) -> dict[str, list[int]]:
    """For each category, the ids of the office's active service units to call."""
    units = list(ServiceUnit.objects.filter(office=office, is_active=True).order_by("name"))
    planned: dict[str, list[int]] = {}
    for plan in CallPlan.objects.filter(office=office).prefetch_related("service_units"):
        planned[plan.category] = [u.pk for u in plan.service_units.all() if u.is_active]
    return {
        category: planned.get(category, [u.pk for u in units if u.kind in DEFAULT_KINDS[category]])
        for category in Category.values
    }


def units_to_call(office: Office, category: str) -> list[ServiceUnit]:
    ids = plans(office).get(category, [])
    return list(ServiceUnit.objects.filter(pk__in=ids).order_by("name"))


def check_in_token(responder: Responder) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(str(responder.pk))


def check_in_link(responder: Responder) -> str:
    return reverse("emergencies:tap_check_in", args=[check_in_token(responder)])


def responder_for(token: str) -> Responder | None:
    """The responder a link was made for, while it is valid; None for a forged or stale link."""
    try:
        pk = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=CHECK_IN_LINK_HOURS * 3600)
    except signing.BadSignature:
        return None
    return (
        Responder.objects.select_related("emergency__work_order", "person")
        .filter(pk=int(pk))
        .first()
    )
