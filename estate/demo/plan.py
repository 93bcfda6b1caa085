"""The whole plan of the demo: everything random, drawn in a fixed order from one generator."""

from __future__ import annotations

import random

from estate.demo.desk import plan_desk
from estate.demo.people import DemoPlan, PhoneBook, plan_households, plan_requesters
from estate.demo.registry import BSW_BUILDINGS
from estate.demo.staff import STAFF_LOGINS


def make_plan(rng: random.Random) -> DemoPlan:
    """Everything random about the demo, decided up front and without the database."""
    # Staff phones are fixed; reserve them so that no resident gets one by chance.
    phones = PhoneBook(rng, reserved=(login.phone for login in STAFF_LOGINS))
    households = plan_households(rng, phones, BSW_BUILDINGS)
    requesters = plan_requesters(rng, phones)
    # Drawn last, so that adding desk cases leaves the registry as it was.
    return DemoPlan(households, requesters, desk=plan_desk(rng, households))
