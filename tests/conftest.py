"""Shared fixtures, and the suite's clock: moved to TEST_TODAY when it is set (``make test`` sets a
random day within the next three years on SQLite), so that no test leans on the day it runs."""

import os
from datetime import datetime

import pytest
import time_machine

from estate.accounts.roles import Role
from tests.factories import OfficeFactory, ResidentFactory, ServiceUnitFactory, staff, unit_at

pytest_plugins = [
    "tests.api_world",
    "tests.billing_fixtures",
    "tests.figures_fixtures",
    "tests.log_scan",
    "tests.processes",
    "tests.sms_fixtures",
    "tests.stubs.imap",
    "tests.stubs.payment_providers",
    "tests.stubs.wechat",
]


def pytest_configure(config: pytest.Config) -> None:
    """Move the clock of the whole session to TEST_TODAY (a day, or a day and time), ticking."""
    today = os.environ.get("TEST_TODAY", "").strip()
    if not today:
        return
    moved = datetime.fromisoformat(today)
    if "T" not in today and " " not in today:  # a bare day keeps the time of day it is now
        moved = datetime.combine(moved.date(), datetime.now().time())
    traveller = time_machine.travel(moved.astimezone(), tick=True)
    traveller.start()
    config.stash[_clock] = traveller


def pytest_report_header(config: pytest.Config) -> str | None:
    today = os.environ.get("TEST_TODAY", "").strip()
    return f"clock moved to {today} (TEST_TODAY)" if today else None


_clock = pytest.StashKey[time_machine.travel]()


@pytest.fixture
def bsw(db):
    """碧水灣: one office with unit 3-1202 and its household."""
    office = OfficeFactory(name="碧水灣管理處", code="BSW")
    unit = unit_at(office, "3-1202", floor=12)
    ResidentFactory(household__unit=unit, name="陳美玲", phone="13812341234")
    ServiceUnitFactory(office=office, name="維修班")
    return office


@pytest.fixture
def other_office(db):
    """Another office of the same company, with unit 1-101."""
    office = OfficeFactory(name="翠湖管理處", code="CH")
    unit = unit_at(office, "1-101")
    ResidentFactory(household__unit=unit, name="王建國", phone="13900001111")
    ServiceUnitFactory(office=office, name="清潔班")
    return office


@pytest.fixture
def reception(bsw):
    return staff("reception", Role.RECEPTIONIST, bsw)


@pytest.fixture
def manager(bsw):
    return staff("manager", Role.MANAGER, bsw)


@pytest.fixture
def head(bsw):
    return staff("head", Role.HEAD, bsw)


@pytest.fixture
def leader(bsw):
    return staff("leader", Role.LEADERSHIP, company=bsw.company)


@pytest.fixture
def repair_team(bsw):
    from estate.properties.models import ServiceUnit

    return ServiceUnit.objects.get(office=bsw, name="維修班")


@pytest.fixture
def repair_lead(bsw, repair_team):
    from estate.accounts.models import StaffRole

    user = staff("repair_lead", Role.TEAM_LEAD, bsw)
    StaffRole.objects.filter(user=user).update(service_unit=repair_team)
    repair_team.lead = user
    repair_team.save()
    return user


@pytest.fixture
def worker(bsw, repair_team):
    from estate.accounts.models import StaffRole

    user = staff("worker", Role.WORKER, bsw)
    StaffRole.objects.filter(user=user).update(service_unit=repair_team)
    return user


@pytest.fixture
def leaking_pipe(bsw, reception, repair_team):
    """An order for 3-1202's leaking pipe, opened by reception and dispatched to the repair team."""
    from estate.properties.models import Unit
    from estate.workorders import actions

    return actions.open_work_order(
        office=bsw,
        by=reception,
        channel="desk",
        kind="repair",
        description="廚房水管漏水",
        unit=Unit.objects.get(office=bsw, address="3-1202"),
        service_unit=repair_team,
    )


@pytest.fixture
def sms_outbox(settings):
    """Texts go to a gateway that keeps them, as (number, text, key), instead of the log (the
    console gateway masks codes and links there)."""
    from estate.messaging.sms import sms_gateway
    from tests.gateways import MemoryGateway

    settings.SMS_GATEWAY = "tests.gateways.MemoryGateway"
    sms_gateway.cache_clear()
    MemoryGateway.SENT.clear()
    yield MemoryGateway.SENT
    MemoryGateway.SENT.clear()
    sms_gateway.cache_clear()


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def _standard_phrase_lists(request):
    """The standard phrase lists come from a data migration, which a transactional test's flush
    empties; every test that uses the database starts with them."""
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    from estate.language.standard import ensure_standard_lists

    ensure_standard_lists()
