"""``manage.py seed_demo``: the demo registry, its logins, re-runs and determinism."""

import io
import random

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command

from estate.accounts.models import StaffRole, User
from estate.properties import demo
from estate.properties.models import (
    Building,
    Department,
    Household,
    Resident,
    ServiceUnit,
    Unit,
)

DEMO_USERNAMES = [
    "reception",
    "manager",
    "head",
    "repair_lead",
    "clean_lead",
    "worker",
    "cashier",
    "leader",
    "admin",
    "campus_desk",
    "resident",
]

# username: (role, office code or None for company-wide, service unit name or None)
EXPECTED_ROLES = {
    "reception": ("receptionist", "BSW", None),
    "manager": ("manager", "BSW", None),
    "head": ("head", "BSW", None),
    "repair_lead": ("team_lead", "BSW", "維修班"),
    "clean_lead": ("team_lead", "BSW", "清潔班"),
    "worker": ("worker", "BSW", "維修班"),
    "cashier": ("cashier", "BSW", None),
    "leader": ("leadership", None, None),
    "admin": ("administrator", None, None),
    "campus_desk": ("receptionist", "CAMPUS", None),
}


def seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def model_counts() -> dict[str, int]:
    counts = {}
    for app_label in ("accounts", "properties"):
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
            counts[model._meta.label] = model._default_manager.count()
    return counts


@pytest.mark.django_db
def test_builds_the_bsw_community_with_unit_3_1202_and_its_resident_login():
    seed_demo()

    assert Building.objects.filter(office__code="BSW").count() == 20
    assert 1900 <= Unit.objects.filter(office__code="BSW").count() <= 2100
    unit = Unit.objects.get(office__code="BSW", address="3-1202")
    assert (unit.building.code, unit.floor) == ("3", 12)
    household = Household.objects.current().get(unit=unit)
    assert household.kind == "owner"
    primary = household.residents.get(is_primary=True)
    assert primary.user.username == "resident"
    assert primary.user.display_name == primary.name


@pytest.mark.django_db
def test_every_household_has_exactly_one_main_contact_and_phones_are_unique():
    seed_demo()

    households = Household.objects.filter(office__code="BSW")
    assert households.count() > 1600
    assert all(
        h.residents.filter(is_primary=True).count() == 1
        for h in households.prefetch_related("residents")[:200]
    )
    assert not Resident.objects.filter(office__code="BSW", household__isnull=True).exists()
    phones = list(Resident.objects.values_list("phone", flat=True))
    assert all(len(phone) == 11 and phone[:2] in {"13", "15", "18", "19"} for phone in phones)
    assert len(phones) == len(set(phones))


@pytest.mark.django_db
def test_every_demo_login_authenticates_with_the_demo_password():
    output = seed_demo()

    for username in DEMO_USERNAMES:
        user = authenticate(username=username, password=settings.DEMO_PASSWORD)
        assert user is not None, username
        assert user.display_name
    assert settings.DEMO_PASSWORD in output
    admin = User.objects.get(username="admin")
    assert admin.is_staff
    assert admin.is_superuser
    assert not User.objects.get(username="reception").is_superuser


@pytest.mark.django_db
def test_each_staff_login_has_its_role_in_its_office():
    seed_demo()

    for username, (role, office, team) in EXPECTED_ROLES.items():
        roles = StaffRole.objects.filter(user__username=username)
        assert [
            (r.role, r.office and r.office.code, r.service_unit and r.service_unit.name)
            for r in roles
        ] == [(role, office, team)], username
    assert not StaffRole.objects.filter(user__username="resident").exists()
    repair = ServiceUnit.objects.get(office__code="BSW", name="維修班")
    assert repair.lead == User.objects.get(username="repair_lead")
    assert set(repair.duty_officers.values_list("username", flat=True)) == {"repair_lead", "worker"}


@pytest.mark.django_db
def test_campus_has_departments_and_requesters_outside_households():
    seed_demo()

    departments = set(
        Department.objects.filter(office__code="CAMPUS").values_list("name", flat=True)
    )
    assert {"教務處", "計算機學院", "圖書館", "學生處"} <= departments
    requesters = Resident.objects.filter(office__code="CAMPUS")
    assert 150 <= requesters.count() <= 250
    assert not requesters.filter(household__isnull=False).exists()
    assert not requesters.filter(department__isnull=True).exists()
    assert set(requesters.values_list("kind", flat=True)) == {"staff", "student"}
    dorm_room = Unit.objects.get(office__code="CAMPUS", address="D1-520")
    assert dorm_room.use == "dormitory"


@pytest.mark.django_db
def test_running_it_again_creates_and_changes_nothing():
    seed_demo()
    before = model_counts()
    reception = User.objects.get(username="reception")
    reception.set_password("changed-by-the-user")
    reception.save()

    output = seed_demo()

    assert model_counts() == before
    assert "Nothing to create" in output
    # A password the user changed stays changed.
    assert authenticate(username="reception", password="changed-by-the-user") is not None


def test_the_plan_depends_only_on_the_seed():
    first = demo.make_plan(random.Random(2026))

    assert demo.make_plan(random.Random(2026)) == first
    assert demo.make_plan(random.Random(7)) != first
    assert first.anchor.kind == "owner"
    assert sum(p.is_primary for p in first.anchor.residents) == 1


@pytest.mark.django_db
def test_if_empty_loads_nothing_into_a_database_with_data():
    from estate.properties.models import Company, Unit

    Company.objects.create(name="真實物業")
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert not Unit.objects.exists()
    assert "not loaded" in out.getvalue()
