"""Demo data for trying estate out, built by ``manage.py seed_demo``.

One company with two offices: 碧水灣管理處, a residential community of 20 buildings and
about 2,000 units, most of them lived in; and a campus service centre with teaching
buildings, dormitories, departments and their staff and students. Both get service
units, a service catalogue and a directory of departments to refer matters to, and
there is one login per role, all with ``settings.DEMO_PASSWORD``. 碧水灣's desk is lived
in: a few dozen contacts and work orders in every stage, made through the real actions,
return visits recorded, this month's survey under way, two common issues (one answered by a
lobby notice); fee items and 2026Q3 meter readings wait for the cashier's 2026Q4 run; the
campus has its quarterly questionnaire to departments open.

The work is done in two steps, kept apart on purpose:

* ``make_plan(rng)`` decides everything that is random (names, phones, households, who
  calls the desk) as plain frozen dataclasses, without touching the database. The same
  seed gives the same plan, so every run builds the same demo and the tests can compare
  two plans.
* ``seed(plan)`` writes the plan. Rows are looked up by their natural key (office code,
  building code, unit address, username…) and only the missing ones are created;
  nothing that exists is updated (except that departments left bare by an earlier
  version get their details). The desk is replayed only into an office that has no
  contact or order yet. Running it again is harmless, and fast.

The package is split by topic, each module with its part of the plan and its writers;
imports flow one way, in this order: ``common`` → ``registry`` → ``people`` → ``staff``
→ ``catalogue`` → ``cart`` → ``knowledge`` → ``desk_cases`` → ``desk`` → ``followup`` → ``billing`` → ``plan`` → ``writer``. It is plain Python,
not a Django app: it has no models and is not in INSTALLED_APPS.
"""

from estate.demo.common import ANCHOR_ADDRESS, COMPANY_NAME, RESIDENT_USERNAME, SEED
from estate.demo.desk_cases import DESK_CASES
from estate.demo.people import DemoPlan
from estate.demo.plan import make_plan
from estate.demo.registry import BSW, CAMPUS, DEPARTMENTS
from estate.demo.staff import STAFF_LOGINS
from estate.demo.writer import seed, totals

__all__ = [
    "ANCHOR_ADDRESS",
    "BSW",
    "CAMPUS",
    "COMPANY_NAME",
    "DEPARTMENTS",
    "DESK_CASES",
    "RESIDENT_USERNAME",
    "SEED",
    "STAFF_LOGINS",
    "DemoPlan",
    "make_plan",
    "seed",
    "totals",
]
