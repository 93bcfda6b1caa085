"""A night patrol in a real browser at a phone's size: the scheduler opens the patrol of the night
route, the guard finds it on "My jobs" and walks it, opening each check point's label address as
the phone's camera app would, with the phone's location; the last point completes the patrol,
and the route's report shows the night covered in full."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Geolocation, Page, expect

from estate.accounts.models import StaffRole
from estate.accounts.roles import Role
from estate.patrols import actions as patrols
from estate.patrols.models import PointScan
from estate.planned import actions as planned
from estate.planned.choices import Frequency, Target, TaskStatus
from estate.planned.models import PlannedTask
from estate.properties.choices import ServiceUnitKind
from tests.browser.steps import sign_in
from tests.factories import ServiceUnitFactory, staff

GATE = Geolocation(latitude=22.5431, longitude=114.0579)


def test_a_guard_walks_the_night_patrol_and_the_report_shows_it_covered(
    page: Page, live_server, transactional_db, bsw, head
):
    security = ServiceUnitFactory(office=bsw, name="保安部", kind=ServiceUnitKind.SECURITY)
    guard = staff("guard", Role.WORKER, bsw)
    StaffRole.objects.filter(user=guard).update(service_unit=security)
    route = patrols.add_route(office=bsw, name="夜間巡更", service_unit=security, by=head)
    gate = patrols.add_point(
        route=route, name="大門崗亭", by=head, latitude=Decimal("22.543100"),
        longitude=Decimal("114.057900"), radius_m=30,
    )  # fmt: skip
    points = [gate] + [
        patrols.add_point(route=route, name=name, by=head) for name in ("車庫入口", "3棟天台")
    ]
    now = timezone.now()
    # Every hour on the hour, an hour to walk it; the scheduler opens the current one.
    planned.save_plan(
        office=bsw, by=head, items=[], now=now - timedelta(hours=2),
        fields={
            "name": "夜間巡更", "service_unit": security, "target": Target.ROUTE, "route": route,
            "frequency": Frequency.HOURS, "every": 1, "times": ["00:00"], "window_minutes": 60,
            "starts_on": timezone.localdate() - timedelta(days=1),
        },
    )  # fmt: skip
    planned.open_due_tasks(now)
    patrol = PlannedTask.objects.get(status=TaskStatus.OPEN)

    page.set_viewport_size({"width": 390, "height": 844})
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(GATE)
    base = live_server.url
    sign_in(page, base, "guard")
    page.goto(f"{base}/orders/jobs/")
    expect(page.get_by_test_id("patrols")).to_contain_text("夜間巡更")

    for number, point in enumerate(points, start=1):
        # The camera app opens the label's address; the page sends the location by itself.
        page.goto(f"{base}/patrols/p/{point.code}/")
        expect(page.get_by_test_id("scan-message")).to_contain_text(point.name)
        assert PointScan.objects.filter(task=patrol).count() == number
        if number == 1:
            # The same label again records nothing and says when it was scanned.
            page.goto(f"{base}/patrols/p/{gate.code}/")
            expect(page.get_by_test_id("scan-message")).to_contain_text("已於")
            assert PointScan.objects.filter(task=patrol).count() == 1
    expect(page.get_by_test_id("scan-message")).to_contain_text("本次巡更完成")

    at_gate = PointScan.objects.get(task=patrol, point=gate)
    assert at_gate.latitude is not None
    assert at_gate.distance_m is not None
    assert at_gate.distance_m <= 30
    assert not at_gate.outside_radius
    patrol.refresh_from_db()
    assert (patrol.status, patrol.done_by) == (TaskStatus.DONE, guard)

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "head")
    page.goto(f"{base}/patrols/routes/{route.pk}/report/")
    expect(page.locator("main")).to_contain_text("100.0%")
