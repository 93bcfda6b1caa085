"""Residents report, follow, confirm and rate in the portal; the office treats the report like
one from its desk; nobody sees another household's requests; each page stays light."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from estate.accounts.models import User
from estate.billing.models import Statement
from estate.frontdesk.models import Contact, ServiceItem
from estate.properties.models import Resident, Unit
from estate.visits.models import ReturnVisit
from estate.workorders import actions
from estate.workorders.models import WorkOrder
from tests.factories import PASSWORD, ResidentFactory, unit_at
from tests.files import PNG


@pytest.fixture
def chen(bsw):
    user = User.objects.create_user(username="chen", password=PASSWORD)
    Resident.objects.filter(phone="13812341234").update(user=user)
    return user


@pytest.fixture
def tap(bsw, repair_team):
    return ServiceItem.objects.create(
        office=bsw, name="水龍頭維修", kind="repair", procedure="上門檢查\n更換", fee_kind="free",
        service_unit=repair_team,
    )  # fmt: skip


@pytest.fixture
def portal(client, chen):
    client.force_login(chen)
    return client


def report(portal, tap, **extra):
    home = Unit.objects.get(address="3-1202")
    form = {"service_item": tap.pk, "unit": home.pk, "description": "廚房水龍頭漏水", **extra}
    return portal.post(reverse("portal:report"), form)


def test_a_report_becomes_an_order_for_the_desk(portal, bsw, tap, reception, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = report(portal, tap, photos=[SimpleUploadedFile("漏水.png", PNG)])
    order = WorkOrder.objects.get()
    assert page["Location"] == reverse("portal:order", args=[order.pk])
    assert (order.status, order.kind, order.unit.address) == ("new", "repair", "3-1202")
    assert order.accountable == reception  # owed to the desk, which dispatches it
    assert order.requester.name == "陳美玲"
    assert order.events.get(action="open").channel == "portal"
    assert order.attachments.count() == 1
    assert Contact.objects.get().channel == "online"


def test_a_report_waits_on_the_desks_dispatch_list_with_a_clock_and_a_message(
    portal, client, bsw, tap, reception
):
    from django.test import Client

    from estate.notifications.models import Notification
    from estate.timerules.choices import ClockState, Rule
    from estate.timerules.models import Clock

    report(portal, tap)
    order = WorkOrder.objects.get()
    clock = Clock.objects.get(work_order=order, rule=Rule.ONLINE_DISPATCH)
    assert clock.due_at - order.opened_at == timedelta(minutes=10)
    told = Notification.objects.get(kind="online_request")
    assert told.recipient == reception
    assert order.number in told.text
    assert told.text.startswith("網上報事")
    desk = Client()
    desk.force_login(reception)
    console = desk.get(reverse("frontdesk:console")).content.decode()
    waiting = console.split('data-testid="to-dispatch"')[1].split("</ul>")[0]
    assert order.number in waiting
    # The desk's record says where it stands, not merely that an order was opened.
    contacts = desk.get(reverse("frontdesk:contacts")).content.decode()
    assert f"{order.number}</a> 新建" in contacts
    actions.dispatch(order, service_unit=tap.service_unit, by=reception, channel="desk")
    clock.refresh_from_db()
    assert clock.state == ClockState.MET
    console = desk.get(reverse("frontdesk:console")).content.decode()
    assert order.number not in console.split('data-testid="to-dispatch"')[1].split("</ul>")[0]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": " "}, "description"),
        ({"photos": [SimpleUploadedFile("x.png", b"<?php echo 1;")]}, "photos"),
        ({"photos": [SimpleUploadedFile(f"{n}.png", PNG) for n in range(4)]}, "photos"),
        ({"photos": [SimpleUploadedFile("big.png", PNG + b"0" * (10 * 1024 * 1024))]}, "photos"),
        ({"unit": "elsewhere"}, "unit"),
    ],
)
def test_bad_reports_keep_what_was_typed_and_save_nothing(portal, bsw, tap, change, field):
    if change.get("unit") == "elsewhere":
        other = unit_at(bsw, "5-101")
        ResidentFactory(household__unit=other)
        change = {"unit": other.pk}
    page = report(portal, tap, **change)
    body = page.content.decode()
    assert page.status_code == 400
    assert f'data-field="{field}"' in body
    if field != "description":
        assert "廚房水龍頭漏水" in body
    assert not WorkOrder.objects.exists()


def test_follow_confirm_and_rate_the_job(portal, bsw, tap, reception, worker, repair_team):
    report(portal, tap)
    order = WorkOrder.objects.get()
    actions.dispatch(order, service_unit=repair_team, assignee=worker, by=reception, channel="desk")
    actions.accept(order, by=worker, channel="desk")
    actions.complete(order, work_done="更換閥芯", by=worker, channel="desk")
    actions.comment(order, text="住戶脾氣急", by=worker, channel="desk")
    page = portal.get(reverse("portal:order", args=[order.pk])).content.decode()
    assert 'data-testid="confirm"' in page
    assert "更換閥芯" in page  # what was done is the resident's to see (issue #19)
    assert "住戶脾氣急" not in page  # the staff's notes stay inside
    portal.post(reverse("portal:order_act", args=[order.pk, "confirm"]))
    portal.post(
        reverse("portal:order_act", args=[order.pk, "rate"]), {"score": "5", "comment": "很快"}
    )
    visit = ReturnVisit.objects.get(work_order=order)
    assert (visit.status, visit.score, visit.channel, visit.comments) == (
        "done",
        5,
        "portal",
        "很快",
    )
    again = portal.post(
        reverse("portal:order_act", args=[order.pk, "rate"]), {"score": "1"}, follow=True
    )
    assert "已評價" in again.content.decode()
    assert ReturnVisit.objects.get(work_order=order).score == 5


def test_not_fixed_reopens_and_a_low_rating_too(portal, bsw, tap, reception, worker, repair_team):
    report(portal, tap)
    order = WorkOrder.objects.get()
    actions.dispatch(order, service_unit=repair_team, assignee=worker, by=reception, channel="desk")
    actions.accept(order, by=worker, channel="desk")
    actions.complete(order, work_done="更換閥芯", by=worker, channel="desk")
    portal.post(reverse("portal:order_act", args=[order.pk, "not_fixed"]), {"reason": "還在滴水"})
    order.refresh_from_db()
    assert order.status == "reopened"


@pytest.fixture
def neighbours_order(bsw, reception):
    """A repair for the household at 5-101, not the signed-in resident's."""
    neighbour = unit_at(bsw, "5-101")
    ResidentFactory(household__unit=neighbour)
    return actions.open_work_order(
        office=bsw,
        by=reception,
        channel="desk",
        kind="repair",
        description="門鎖壞了",
        unit=neighbour,
    )


def test_nobody_sees_another_households_requests(client, chen, tap, neighbours_order):
    theirs = neighbours_order
    client.force_login(chen)
    assert client.get(reverse("portal:order", args=[theirs.pk])).status_code == 404
    rated = client.post(reverse("portal:order_act", args=[theirs.pk, "rate"]), {"score": "1"})
    assert rated.status_code == 404
    assert "門鎖壞了" not in client.get(reverse("portal:orders")).content.decode()


def test_a_new_occupant_sees_nothing_of_the_previous_household(client, api, bsw, reception, tap):
    """3-1202's previous household reported a leak; the family that moved in later sees only
    what was asked since their move-in, the previous family keeps seeing its own."""
    import time_machine

    from estate.properties.models import Household

    home = Unit.objects.get(address="3-1202")
    before = Household.objects.get(unit=home)
    with time_machine.travel("2026-03-02 10:00 +08:00", tick=False):
        earlier = actions.open_work_order(
            office=bsw, by=reception, channel="desk", kind="repair", description="上一戶的漏水",
            unit=home, requester=before.residents.get(),
        )  # fmt: skip
    Household.objects.filter(pk=before.pk).update(
        move_in=date(2020, 1, 1), move_out=date(2026, 6, 1)
    )
    newcomer = ResidentFactory(household__unit=home, household__move_in=date(2026, 6, 1))
    newcomer.user = User.objects.create_user(username="newcomer", password=PASSWORD)
    newcomer.save()
    with time_machine.travel("2026-07-01 10:00 +08:00", tick=False):
        later = actions.open_work_order(
            office=bsw, by=reception, channel="desk", kind="repair", description="新住戶的門鈴",
            unit=home, requester=newcomer,
        )  # fmt: skip
    client.force_login(newcomer.user)
    assert client.get(reverse("portal:order", args=[earlier.pk])).status_code == 404
    assert client.get(reverse("portal:order", args=[later.pk])).status_code == 200
    rated = client.post(reverse("portal:order_act", args=[earlier.pk, "rate"]), {"score": "1"})
    assert rated.status_code == 404
    api.force_authenticate(user=newcomer.user)
    assert [o["id"] for o in api.get("/api/v1/portal/orders/").json()] == [later.pk]
    previous = User.objects.create_user(username="previous", password=PASSWORD)
    Resident.objects.filter(household=before).update(user=previous)
    client.force_login(previous)
    assert client.get(reverse("portal:order", args=[earlier.pk])).status_code == 200
    assert client.get(reverse("portal:order", args=[later.pk])).status_code == 404


def test_each_portal_page_needs_at_most_ten_queries(portal, tap, django_assert_max_num_queries):
    report(portal, tap)
    order = WorkOrder.objects.get()
    for url in (
        reverse("portal:home"),
        reverse("portal:orders"),
        reverse("portal:order", args=[order.pk]),
        reverse("portal:report"),
    ):
        with django_assert_max_num_queries(10):
            assert portal.get(url).status_code == 200


def test_the_household_sees_its_bills_and_no_one_elses(
    portal, bsw, issued, django_assert_max_num_queries
):
    mine = Statement.objects.get(unit__address="3-1202")
    with django_assert_max_num_queries(10):
        page = portal.get(reverse("portal:bills")).content.decode()
    assert page.count('data-testid="bill"') == 1
    assert "1,443.00" in page
    assert portal.get(reverse("portal:bill_pdf", args=[mine.pk])).content.startswith(b"%PDF")
    theirs = Statement.objects.get(unit__address="3-1201")
    assert portal.get(reverse("portal:bill_pdf", args=[theirs.pk])).status_code == 404


def test_campus_staff_report_for_a_room_and_see_their_departments_requests(client, other_office):
    from estate.properties.models import Department

    library = Department.objects.create(office=other_office, name="圖書館")
    housing = Department.objects.create(office=other_office, name="房產處")
    room = unit_at(other_office, "A-101")
    me = User.objects.create_user(username="wang", password=PASSWORD)
    Resident.objects.create(
        office=other_office, department=library, kind="staff", name="王老師", phone="13700001111",
        user=me,
    )  # fmt: skip
    colleague = Resident.objects.create(
        office=other_office, department=library, kind="staff", name="李老師", phone="13700002222"
    )
    stranger = Resident.objects.create(
        office=other_office, department=housing, kind="staff", name="趙老師", phone="13700003333"
    )
    item = ServiceItem.objects.create(
        office=other_office, name="燈具維修", kind="repair", procedure="檢查", fee_kind="free"
    )
    opener = User.objects.create_user(username="desk")
    for who, text in ((colleague, "閱覽室燈不亮"), (stranger, "宿舍門鎖壞")):
        actions.open_work_order(
            office=other_office, by=opener, channel="desk", kind="repair", description=text,
            requester=who, unit=room,
        )  # fmt: skip
    client.force_login(me)
    made = client.post(
        reverse("portal:report"),
        {"service_item": item.pk, "unit": "A-101", "description": "研討室投影儀無法開機"},
    )
    assert made.status_code == 302, made.content.decode()[-3000:]
    assert WorkOrder.objects.get(description="研討室投影儀無法開機").unit == room
    seen = {
        order.description: client.get(reverse("portal:order", args=[order.pk])).status_code
        for order in WorkOrder.objects.all()
    }
    assert seen == {"閱覽室燈不亮": 200, "宿舍門鎖壞": 404, "研討室投影儀無法開機": 200}


def test_concierge_help_goes_straight_to_the_concierge_with_its_own_clock(portal, bsw, reception):
    from estate.properties.models import ServiceUnit
    from estate.timerules.models import Clock

    concierge = ServiceUnit.objects.create(office=bsw, name="禮賓", kind="concierge", scope="協助")
    luggage = ServiceItem.objects.create(
        office=bsw, name="行李協助", kind="concierge", procedure="到大堂協助", fee_kind="free",
        service_unit=concierge,
    )  # fmt: skip
    report(
        portal, luggage, description="母親行動不便，需要協助推輪椅到電梯",
        wanted_at="2026-11-27T08:30",
    )  # fmt: skip
    order = WorkOrder.objects.get()
    assert (order.kind, order.status, order.service_unit) == ("concierge", "dispatched", concierge)
    assert "2026-11-27 08:30" in order.description
    clock = Clock.objects.get(work_order=order, rule="concierge_accepted")
    assert clock.due_at - order.opened_at == timedelta(minutes=15)


def test_the_portal_api_shows_only_the_residents_own(
    api, bsw, chen, tap, reception, issued, neighbours_order
):
    theirs = neighbours_order
    mine = actions.open_work_order(
        office=bsw, by=reception, channel="desk", kind="repair", description="水管漏水",
        unit=Unit.objects.get(address="3-1202"),
    )  # fmt: skip
    api.force_authenticate(user=chen)
    listed = api.get("/api/v1/portal/orders/").json()
    assert [o["number"] for o in listed] == [mine.number]
    assert api.get(f"/api/v1/portal/orders/{theirs.pk}/").status_code == 404
    bills = api.get("/api/v1/portal/statements/").json()
    assert [b["number"] for b in bills] == ["BSW-2026Q4-3-1202"]
    other_bill = Statement.objects.get(unit__address="3-1201")
    assert api.get(f"/api/v1/portal/statements/{other_bill.pk}/").status_code == 404
    assert api.get(f"/api/v1/work-orders/{mine.pk}/").status_code in (403, 404)  # not staff
