"""Writing the plan in one transaction, topic by topic, and summing up what the offices hold."""

from __future__ import annotations

import random
from collections import Counter

from django.db import transaction

from estate.demo.billing import seed_billing
from estate.demo.cart import seed_cart
from estate.demo.catalogue import seed_service_items
from estate.demo.common import COMPANY_NAME, RESIDENT_USERNAME, SEED
from estate.demo.desk import seed_desk
from estate.demo.equipment import seed_equipment
from estate.demo.followup import seed_followup, seed_questionnaire
from estate.demo.history import seed_history
from estate.demo.knowledge import seed_knowledge
from estate.demo.people import DemoPlan, seed_households, seed_requesters
from estate.demo.plan import make_plan
from estate.demo.planned import seed_planned
from estate.demo.registry import (
    BSW,
    BSW_BUILDINGS,
    CAMPUS,
    CAMPUS_BUILDINGS,
    seed_buildings,
    seed_departments,
    seed_office,
)
from estate.demo.staff import link_resident_login, seed_service_units, seed_staff_roles, seed_users
from estate.demo.window import seed_window
from estate.frontdesk.models import Contact, Referral, ServiceItem
from estate.properties.models import (
    Building,
    Company,
    Department,
    Household,
    Office,
    Resident,
    ServiceUnit,
    Unit,
)
from estate.workorders.models import WorkOrder


def seed(plan: DemoPlan | None = None) -> Counter[str]:
    """Create whatever of the demo is missing; return how many rows of each kind were new."""
    plan = plan or make_plan(random.Random(SEED))
    created: Counter[str] = Counter()
    with transaction.atomic():
        company, new = Company.objects.get_or_create(name=COMPANY_NAME)
        created["companies"] += new
        bsw, bsw_site = seed_office(company, BSW, created)
        campus, campus_site = seed_office(company, CAMPUS, created)
        offices = {BSW.code: bsw, CAMPUS.code: campus}
        seed_buildings(bsw_site, BSW_BUILDINGS, created)
        seed_buildings(campus_site, CAMPUS_BUILDINGS, created)
        seed_households(bsw, plan.households, created)
        seed_departments(offices, created)
        seed_requesters(campus, plan.requesters, created)
        users = seed_users(plan, created)
        service_units = seed_service_units(offices, users, created)
        seed_staff_roles(company, offices, service_units, users, created)
        link_resident_login(bsw, users[RESIDENT_USERNAME])
        seed_service_items(offices, service_units, created)
        seed_cart(offices, created)
        seed_window(bsw, users, created)
        seed_knowledge(offices, users, created)
        seed_desk(bsw, plan.desk, users, service_units, created)
        seed_followup(bsw, users, created)
        seed_history(bsw, users, service_units, created)
        seed_billing(bsw, created)
        seed_equipment(bsw, created)
        seed_planned(bsw, service_units, users["head"], created)
        seed_questionnaire(campus, users, created)
    return +created  # drop the zero counts


def totals() -> list[tuple[Office, dict[str, int]]]:
    """What the demo offices now hold, for the command's summary."""
    rows = []
    for office in Office.objects.filter(code__in=[BSW.code, CAMPUS.code]).order_by("id"):
        residents = Resident.objects.filter(office=office)
        departments = Department.objects.filter(office=office)
        orders = WorkOrder.objects.filter(office=office)
        rows.append(
            (
                office,
                {
                    "buildings": Building.objects.filter(office=office).count(),
                    "units": Unit.objects.filter(office=office).count(),
                    "households": Household.objects.filter(office=office).count(),
                    "residents": residents.filter(household__isnull=False).count(),
                    "departments": departments.filter(is_external=False).count(),
                    "requesters": residents.filter(household__isnull=True).count(),
                    "service units": ServiceUnit.objects.filter(office=office).count(),
                    "service items": ServiceItem.objects.filter(office=office).count(),
                    "referral departments": departments.filter(is_external=True).count(),
                    "contacts": Contact.objects.filter(office=office).count(),
                    "work orders": orders.count(),
                    "open orders": orders.open().count(),
                    "referrals": Referral.objects.filter(office=office).count(),
                },
            )
        )
    return rows
