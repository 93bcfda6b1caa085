"""Patrols with proof (issue #21): a guard scans a route's check points by QR code or NFC tag,
with the phone's location; marks for out of order, outside the window and outside the radius;
the last point completes the patrol; the route's report shows coverage night by night."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from estate.accounts.models import StaffRole
from estate.accounts.roles import Role
from estate.patrols import actions
from estate.patrols.figures import coverage, night_of
from estate.patrols.geo import distance_m
from estate.patrols.models import PatrolRoute, PointScan
from estate.planned.choices import Frequency, Target, TaskStatus
from estate.planned.models import Plan, PlannedTask
from estate.properties.choices import ServiceUnitKind
from tests.factories import PASSWORD, ServiceUnitFactory, staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 碧水灣's gate house, and the bike shed 80 m to its north (0.00072° of latitude ≈ 80 m).
GATE = (Decimal("22.543100"), Decimal("114.057900"))
NEAR_GATE = ("22.543200", "114.057900")  # about 11 m away
SHED = ("22.543820", "114.057900")  # about 80 m away


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are compared in English (the source text), whatever the translations say."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def security(bsw):
    return ServiceUnitFactory(office=bsw, name="保安部", kind=ServiceUnitKind.SECURITY)


def _member(username, unit, role=Role.WORKER):
    user = staff(username, role, unit.office)
    StaffRole.objects.filter(user=user).update(service_unit=unit)
    return user


@pytest.fixture
def guard(security):
    return _member("guard", security)


@pytest.fixture
def night_route(bsw, head, security):
    """The night route: 1. 大門崗亭 (with a location, 30 m radius, an NFC tag), 2. 車庫入口,
    3. 3棟天台."""
    route = actions.add_route(office=bsw, name="夜間巡更", service_unit=security, by=head)
    actions.add_point(
        route=route,
        name="大門崗亭",
        nfc_tag="04:A2:2B:91",
        latitude=GATE[0],
        longitude=GATE[1],
        radius_m=30,
        by=head,
    )
    actions.add_point(route=route, name="車庫入口", by=head)
    actions.add_point(route=route, name="3棟天台", by=head)
    return route


def _plan(route):
    return Plan.objects.create(
        office=route.office,
        name=f"{route.name}計劃",
        service_unit=route.service_unit,
        target=Target.ROUTE,
        route=route,
        frequency=Frequency.DAILY,
        times=["22:00"],
        window_minutes=60,
        starts_on=timezone.localdate() - timedelta(days=30),
    )


def _patrol(route, due_at, *, minutes=60, plan=None):
    """One occurrence, as the scheduler (built in ``planned``) would open it."""
    return PlannedTask.objects.create(
        office=route.office,
        plan=plan or Plan.objects.filter(route=route).first() or _plan(route),
        service_unit=route.service_unit,
        due_at=due_at,
        window_ends_at=due_at + timedelta(minutes=minutes),
        opened_at=due_at,
    )


@pytest.fixture
def patrol(night_route):
    """A patrol of the night route, due ten minutes ago, to be walked within the hour."""
    return _patrol(night_route, timezone.now() - timedelta(minutes=10))


def _points(route):
    return list(route.points.order_by("position"))


def _refusal(excinfo):
    return excinfo.value.message_dict["code"][0]


# ---------------------------------------------------------------- scanning


def test_a_guard_scans_a_point_by_its_qr_code_with_the_phones_location(patrol, night_route, guard):
    gate = _points(night_route)[0]
    result = actions.scan(gate.code, by=guard, latitude=NEAR_GATE[0], longitude=NEAR_GATE[1])
    assert result.created
    assert result.message == "大門崗亭 scanned."
    recorded = PointScan.objects.get()
    assert (recorded.task, recorded.point, recorded.by, recorded.method) == (
        patrol,
        gate,
        guard,
        "qr",
    )
    assert recorded.latitude == Decimal(NEAR_GATE[0])
    assert 10 <= recorded.distance_m <= 12
    assert not recorded.is_flagged


def test_a_point_can_be_scanned_by_its_nfc_tag(patrol, night_route, guard):
    result = actions.scan("04:A2:2B:91", by=guard)
    assert result.created
    assert result.scan.point == _points(night_route)[0]
    assert result.scan.method == "nfc"
    assert result.scan.distance_m is None


def test_the_same_point_twice_is_recorded_once_and_says_when(patrol, night_route, guard):
    gate = _points(night_route)[0]
    first_at = datetime.combine(
        timezone.localdate(), time(22, 5), SHANGHAI
    )  # the time shown is the office's
    patrol.due_at, patrol.window_ends_at = (
        first_at - timedelta(minutes=5),
        first_at + timedelta(minutes=55),
    )
    patrol.save()
    actions.scan(gate.code, by=guard, at=first_at)
    again = actions.scan("04:A2:2B:91", by=guard, at=first_at + timedelta(minutes=3))
    assert not again.created
    assert again.message == "Already scanned at 22:05."
    assert PointScan.objects.count() == 1


def test_a_code_of_another_office_is_refused(patrol, guard, other_office, db):
    elsewhere_head = staff("ch_head", Role.HEAD, other_office)
    unit = ServiceUnitFactory(office=other_office, name="翠湖保安", kind=ServiceUnitKind.SECURITY)
    route = actions.add_route(
        office=other_office, name="翠湖巡更", service_unit=unit, by=elsewhere_head
    )
    theirs = actions.add_point(
        route=route, name="翠湖大門", nfc_tag="04:A2:2B:91", by=elsewhere_head
    )
    with pytest.raises(ValidationError) as refused:
        actions.scan(theirs.code, by=guard)
    assert _refusal(refused) == "This check point belongs to another office."
    # The same NFC tag id in two offices: the guard's own office's point is the one meant.
    assert actions.scan("04:A2:2B:91", by=guard).scan.point.office_id == patrol.office_id
    assert PointScan.objects.filter(point=theirs).count() == 0


def test_a_code_of_nothing_is_refused(patrol, guard):
    for code in ("not-a-point", "", "   "):
        with pytest.raises(ValidationError) as refused:
            actions.scan(code, by=guard)
        assert _refusal(refused) == "No check point has this code."
    assert PointScan.objects.count() == 0


def test_a_point_of_a_route_without_an_open_patrol_is_refused(night_route, guard):
    done = _patrol(night_route, timezone.now() - timedelta(hours=30))
    PlannedTask.objects.filter(pk=done.pk).update(status=TaskStatus.MISSED)
    with pytest.raises(ValidationError) as refused:
        actions.scan(_points(night_route)[1].code, by=guard)
    assert _refusal(refused) == "No patrol of this route is open now."


def test_a_point_scanned_after_a_later_one_is_out_of_order(patrol, night_route, guard):
    gate, garage, roof = _points(night_route)
    actions.scan(gate.code, by=guard)
    actions.scan(roof.code, by=guard)
    late = actions.scan(garage.code, by=guard).scan
    assert late.out_of_order
    assert not PointScan.objects.get(point=roof).out_of_order
    assert not PointScan.objects.get(point=gate).out_of_order


def test_a_scan_outside_the_patrols_window_is_marked(patrol, night_route, guard):
    gate, garage, _roof = _points(night_route)
    early = actions.scan(gate.code, by=guard, at=patrol.due_at - timedelta(minutes=1)).scan
    on_time = actions.scan(garage.code, by=guard, at=patrol.window_ends_at).scan
    assert early.outside_window
    assert not on_time.outside_window
    late = _patrol(night_route, patrol.due_at - timedelta(hours=3))
    PlannedTask.objects.filter(pk=patrol.pk).update(status=TaskStatus.DONE)
    after = actions.scan(gate.code, by=guard, at=late.window_ends_at + timedelta(minutes=1))
    assert after.scan.task == late
    assert after.scan.outside_window


def test_a_scan_far_from_the_point_is_outside_its_radius_and_near_it_is_not(
    patrol, night_route, guard, head
):
    gate = _points(night_route)[0]
    far = actions.scan(gate.code, by=guard, latitude=SHED[0], longitude=SHED[1], accuracy="12.4")
    assert far.scan.outside_radius
    assert 78 <= far.scan.distance_m <= 82
    assert far.scan.accuracy_m == 12
    second = _patrol(night_route, patrol.due_at + timedelta(minutes=1))
    PlannedTask.objects.filter(pk=patrol.pk).update(status=TaskStatus.DONE)
    near = actions.scan(gate.code, by=guard, latitude=NEAR_GATE[0], longitude=NEAR_GATE[1])
    assert near.scan.task == second
    assert not near.scan.outside_radius
    # A point without a location is never outside its radius.
    garage = _points(night_route)[1]
    assert not actions.scan(
        garage.code, by=guard, latitude=SHED[0], longitude=SHED[1]
    ).scan.outside_radius


def test_a_location_that_is_not_a_number_is_refused_naming_the_field(patrol, night_route, guard):
    gate = _points(night_route)[0]
    with pytest.raises(ValidationError) as refused:
        actions.scan(gate.code, by=guard, latitude="north", longitude="114.05")
    assert refused.value.message_dict == {"latitude": ["The location must be a number of degrees."]}
    with pytest.raises(ValidationError) as refused:
        actions.scan(gate.code, by=guard, latitude="22.5", longitude="190")
    assert "longitude" in refused.value.message_dict
    assert PointScan.objects.count() == 0


def test_scanning_every_point_completes_the_patrol(patrol, night_route, guard):
    gate, garage, roof = _points(night_route)
    actions.scan(gate.code, by=guard)
    actions.scan(garage.code, by=guard)
    patrol.refresh_from_db()
    assert patrol.status == TaskStatus.OPEN
    last = actions.scan(roof.code, by=guard)
    assert last.completed
    assert last.message == "3棟天台 scanned. The patrol is complete."
    patrol.refresh_from_db()
    assert (patrol.status, patrol.done_by, patrol.done_at) == (
        TaskStatus.DONE,
        guard,
        last.scan.scanned_at,
    )


def test_a_guard_of_another_unit_cannot_scan_into_this_units_patrol(patrol, night_route, worker):
    with pytest.raises(ValidationError) as refused:
        actions.scan(_points(night_route)[0].code, by=worker)
    assert _refusal(refused) == "No patrol of this route is open now."
    assert PointScan.objects.count() == 0


def test_staff_of_another_office_see_nothing(patrol, night_route, guard, other_office):
    actions.scan(_points(night_route)[0].code, by=guard)
    stranger = staff("ch_manager", Role.MANAGER, other_office)
    assert not PointScan.objects.visible_to(stranger).exists()
    assert not PatrolRoute.objects.visible_to(stranger).exists()
    assert coverage(other_office, timezone.localdate(), timezone.localdate()).expected == 0


# ---------------------------------------------------------------- routes and points


def test_points_are_numbered_reordered_and_get_unique_codes(night_route, head, guard):
    gate, garage, roof = _points(night_route)
    assert [gate.position, garage.position, roof.position] == [1, 2, 3]
    assert len({gate.code, garage.code, roof.code}) == 3
    assert len(gate.code) == 16
    actions.reorder_points(route=night_route, order=[roof.pk, gate.pk, garage.pk], by=head)
    assert [p.name for p in _points(night_route)] == ["3棟天台", "大門崗亭", "車庫入口"]
    actions.move_point(point=garage, by=head, up=True)
    assert [p.name for p in _points(night_route)] == ["3棟天台", "車庫入口", "大門崗亭"]
    with pytest.raises(ValidationError):
        actions.reorder_points(route=night_route, order=[roof.pk], by=head)
    old = gate.code
    assert actions.renew_code(point=gate, by=head).code != old
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.add_point(route=night_route, name="後門", by=guard)


def test_the_distance_is_the_great_circle_one():
    # 1° of latitude is 111.2 km on the mean sphere.
    assert distance_m(Decimal(22), Decimal(114), Decimal(23), Decimal(114)) == 111_195


# ---------------------------------------------------------------- the report


def _evening(days_ago, hour, minute=0):
    day = timezone.localdate() - timedelta(days=days_ago)
    moment = datetime.combine(day, time(hour, minute), SHANGHAI)
    return moment if hour >= 6 else moment + timedelta(days=1)


def test_a_round_after_midnight_belongs_to_the_evening_before():
    assert night_of(_evening(3, 1, 30), SHANGHAI) == timezone.localdate() - timedelta(days=3)
    assert night_of(_evening(3, 22), SHANGHAI) == timezone.localdate() - timedelta(days=3)


def test_the_report_shows_coverage_per_night_with_the_missed_point(
    night_route, guard, head, client
):
    gate, garage, roof = _points(night_route)
    # Three nights ago: 22:00 walked fully; at 02:00 (the same night) only the gate was scanned.
    first = _patrol(night_route, _evening(3, 22))
    for point in (gate, garage, roof):
        actions.scan(point.code, by=guard, at=first.due_at + timedelta(minutes=5 * point.position))
    second = _patrol(night_route, _evening(3, 2))
    actions.scan(gate.code, by=guard, at=second.due_at + timedelta(minutes=20))
    # Two nights ago: the 22:00 round walked fully, one scan a little late.
    third = _patrol(night_route, _evening(2, 22))
    for point in (gate, garage, roof):
        actions.scan(point.code, by=guard, at=third.due_at + timedelta(minutes=25 * point.position))
    start = timezone.localdate() - timedelta(days=3)
    figures = coverage(night_route.office, start, start + timedelta(days=1), route=night_route)
    one, two = figures.nights
    assert (one.day, one.patrols, one.expected, one.scanned, one.missed) == (start, 2, 6, 4, 2)
    assert [p.name for p in one.missed_points] == ["車庫入口", "3棟天台"]
    assert one.coverage == Decimal("66.7")
    assert (two.patrols, two.scanned, two.missed, two.outside_window) == (1, 3, 0, 1)
    assert figures.coverage == Decimal("77.8")
    assert figures.missed == 2

    client.login(username="head", password=PASSWORD)
    page = client.get(
        reverse("patrols:report", args=[night_route.pk]),
        {"from": start.isoformat(), "to": (start + timedelta(days=1)).isoformat()},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "66.7%" in text
    assert "77.8%" in text
    assert "3棟天台" in text


def test_the_report_refuses_a_range_it_cannot_read(night_route, head, client):
    client.login(username="head", password=PASSWORD)
    page = client.get(reverse("patrols:report", args=[night_route.pk]), {"from": "tomorrow"})
    assert page.status_code == 200
    assert "Enter a valid date." in page.content.decode()


def test_the_report_is_for_those_who_read_figures(night_route, guard, client, other_office):
    client.login(username="guard", password=PASSWORD)
    assert client.get(reverse("patrols:report", args=[night_route.pk])).status_code == 403
    staff("ch_head", Role.HEAD, other_office)
    client.login(username="ch_head", password=PASSWORD)
    assert client.get(reverse("patrols:report", args=[night_route.pk])).status_code == 404


# ---------------------------------------------------------------- the phone and the labels


def test_a_label_opened_by_the_phones_camera_records_the_scan(patrol, night_route, guard, client):
    gate = _points(night_route)[0]
    client.login(username="guard", password=PASSWORD)
    page = client.get(reverse("patrols:point", args=[gate.code]))
    assert page.status_code == 200
    assert PointScan.objects.count() == 0
    answered = client.post(
        reverse("patrols:point", args=[gate.code]),
        {"latitude": NEAR_GATE[0], "longitude": NEAR_GATE[1], "accuracy": "8"},
    )
    assert answered.status_code == 200
    assert "大門崗亭 scanned." in answered.content.decode()
    assert PointScan.objects.get().distance_m is not None
    again = client.post(reverse("patrols:point", args=[gate.code]))
    assert "Already scanned at" in again.content.decode()


def test_the_scan_page_takes_a_typed_code_and_shows_ticks(patrol, night_route, guard, client):
    _gate, garage, _roof = _points(night_route)
    client.login(username="guard", password=PASSWORD)
    jobs = client.get(reverse("workorders:jobs")).content.decode()
    assert "夜間巡更" in jobs
    assert reverse("patrols:scan") in jobs
    answered = client.post(reverse("patrols:scan"), {"code": garage.code, "method": "typed"})
    text = answered.content.decode()
    assert answered.status_code == 200
    assert "車庫入口 scanned." in text
    assert re.search(r'data-testid="point-2"\s+data-scanned="yes"', text)
    assert re.search(r'data-testid="point-1"\s+data-scanned="no"', text)
    assert PointScan.objects.get().method == "typed"
    refused = client.post(reverse("patrols:scan"), {"code": "nothing"})
    assert "No check point has this code." in refused.content.decode()
    assert "<script>" not in text  # the page's script is a file (the CSP forbids inline ones)


def test_the_label_sheet_is_a_pdf_with_the_point_names(night_route, head, client):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    client.login(username="head", password=PASSWORD)
    answered = client.get(reverse("patrols:labels", args=[night_route.pk]))
    assert answered.status_code == 200
    assert answered["Content-Type"] == "application/pdf"
    assert answered.content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=answered.content, capture_output=True, check=True
    ).stdout.decode()
    for point in _points(night_route):
        assert point.name in text
        assert f"/patrols/p/{point.code}/" in text
    assert "1." in text
    assert "3." in text


def test_the_office_keeps_its_routes_and_points_from_the_pages(bsw, head, security, client):
    client.login(username="head", password=PASSWORD)
    made = client.post(
        reverse("patrols:routes"),
        {"name": "白班巡邏", "service_unit": security.pk, "minutes_between_points": "10"},
    )
    route = PatrolRoute.objects.get(name="白班巡邏")
    assert made.status_code == 302
    page = reverse("patrols:route", args=[route.pk])
    client.post(page, {"name": "東門", "radius_m": "50"})
    client.post(page, {"name": "西門", "radius_m": "50"})
    half = client.post(page, {"name": "北門", "latitude": "22.5", "radius_m": "50"})
    assert "Give both the latitude and the longitude, or neither." in half.content.decode()
    assert [p.name for p in _points(route)] == ["東門", "西門"]
    west = _points(route)[1]
    client.post(reverse("patrols:move", args=[west.pk, "up"]))
    assert [p.name for p in _points(route)] == ["西門", "東門"]
    old = west.code
    client.post(reverse("patrols:renew", args=[west.pk]))
    west.refresh_from_db()
    assert west.code != old
    assert client.get(page).status_code == 200
