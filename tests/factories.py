"""Builders for tests: a small world of offices, units and named staff."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import factory

from estate.accounts.models import StaffRole, User
from estate.accounts.roles import COMPANY_WIDE, Role
from estate.properties.choices import HouseholdKind, OfficeKind, ServiceUnitKind, SiteKind
from estate.properties.models import (
    Building,
    Company,
    Household,
    Office,
    Resident,
    ServiceUnit,
    Site,
    Unit,
)

PASSWORD = "test-pass-2026"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("name",)

    name = "測試物業"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"第{n}管理處")
    code = factory.Sequence(lambda n: f"OF{n}")
    kind = OfficeKind.PROPERTY


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("office", "name")

    office = factory.SubFactory(OfficeFactory)
    name = factory.LazyAttribute(lambda o: f"{o.office.name}小區")
    kind = SiteKind.COMMUNITY


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building
        django_get_or_create = ("office", "code")

    site = factory.SubFactory(SiteFactory)
    office = factory.SelfAttribute("site.office")
    code = factory.Sequence(lambda n: str(n + 1))
    name = factory.LazyAttribute(lambda o: f"{o.code}棟")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    office = factory.SelfAttribute("building.office")
    number = factory.Sequence(lambda n: f"{n + 101}")
    floor = 1
    area = Decimal("88.50")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    unit = factory.SubFactory(UnitFactory)
    office = factory.SelfAttribute("unit.office")
    kind = HouseholdKind.OWNER


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    household = factory.SubFactory(HouseholdFactory)
    office = factory.SelfAttribute("household.office")
    name = factory.Sequence(lambda n: f"住戶{n}")
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    is_primary = True


class ServiceUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceUnit

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"維修班{n}")
    kind = ServiceUnitKind.REPAIR
    scope = "水電、門窗、管道維修"


def staff(
    username: str, role: Role, office: Office | None = None, *, company: Company | None = None
) -> User:
    """A staff login with one role; company-wide roles take the company, others an office."""
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
    add_role(user, role, office, company=company)
    return user


def add_role(
    user: User, role: Role, office: Office | None = None, *, company: Company | None = None
) -> StaffRole:
    if role in COMPANY_WIDE:
        owner = company if company is not None else getattr(office, "company", None)
        assert owner is not None, "a company-wide role needs a company"
        return StaffRole.objects.create(user=user, role=role, company=owner, office=None)
    assert office is not None
    return StaffRole.objects.create(user=user, role=role, company=office.company, office=office)


def unit_at(office: Office, address: str, **fields: Any) -> Unit:
    code, number = address.split("-")
    building = BuildingFactory(office=office, site=SiteFactory(office=office), code=code)
    return cast(Unit, UnitFactory(building=building, office=office, number=number, **fields))
