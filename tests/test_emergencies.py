"""Emergencies: one action calls the head and the duty officers; each has 5 minutes to be on scene;
the incident report is approved by leadership and archived with a PDF."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from estate.accounts.roles import Role
from estate.emergencies import actions, calls
from estate.emergencies.models import CallPlan, ReportStatus
from estate.notifications import tasks
from estate.notifications.models import Notification
from estate.properties.choices import ServiceUnitKind
from estate.timerules import scheduler
from estate.timerules.choices import ClockState, Rule
from estate.timerules.models import Clock
from tests.factories import ServiceUnitFactory, staff

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def fire(bsw, reception, head, repair_team, repair_lead, worker):
    repair_team.duty_officers.set([worker])
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        return actions.open_emergency(
            office=bsw, by=reception, channel="desk", category="fire", description="地下車庫冒煙",
            service_units=[repair_team], location="2棟地下車庫",
        )  # fmt: skip


def test_opening_calls_the_head_and_duty_officers_with_a_clock_each(fire, head, worker):
    order = fire.work_order
    assert (order.kind, order.is_emergency, order.priority) == ("emergency", True, "urgent")
    assert {r.person for r in fire.responders.all()} == {head, worker}
    assert set(
        Notification.objects.filter(kind="emergency").values_list("recipient__username", flat=True)
    ) == {
        "head",
        "worker",
    }
    clocks = Clock.objects.filter(work_order=order, rule=Rule.ON_SCENE)
    assert {c.person for c in clocks} == {head, worker}
    assert {c.due_at for c in clocks} == {at("2026-11-26 10:05")}


def test_check_in_meets_only_that_responders_clock(fire, head, worker):
    with time_machine.travel(at("2026-11-26 10:03"), tick=False):
        responder = actions.check_in(fire, person=worker, channel="desk")
    assert responder.minutes_to_scene == 3.0
    mine = Clock.objects.get(work_order=fire.work_order, rule=Rule.ON_SCENE, person=worker)
    theirs = Clock.objects.get(work_order=fire.work_order, rule=Rule.ON_SCENE, person=head)
    assert (mine.state, theirs.state) == (ClockState.MET, ClockState.RUNNING)
    scheduler.sweep(at("2026-11-26 10:06"))
    theirs.refresh_from_db()
    assert theirs.state == ClockState.BREACHED
    assert fire.work_order.events.filter(action="comment", actor=worker).exists()


def test_only_people_who_were_called_may_check_in(fire, reception):
    with pytest.raises(PermissionDenied):
        actions.check_in(fire, person=reception, channel="desk")


def test_nothing_ticked_calls_the_units_the_plan_names_for_the_category(
    bsw, reception, repair_team, worker
):
    security = ServiceUnitFactory(office=bsw, name="保安部", kind=ServiceUnitKind.SECURITY)
    guard_on_duty = staff("guard_on_duty", Role.WORKER, bsw)
    security.duty_officers.set([guard_on_duty])
    repair_team.duty_officers.set([worker])
    # No plan written: a fire calls security and maintenance, a person hurt security alone.
    assert set(calls.plans(bsw)["fire"]) == {security.pk, repair_team.pk}
    assert calls.plans(bsw)["injury"] == [security.pk]
    hurt = actions.open_emergency(
        office=bsw, by=reception, channel="desk", category="injury", description="老人摔倒",
        service_units=[], location="中心花園",
    )  # fmt: skip
    assert set(hurt.service_units.all()) == {security}
    assert guard_on_duty in {r.person for r in hurt.responders.all()}
    assert worker not in {r.person for r in hurt.responders.all()}
    # The office's own plan wins: its lift entrapments call maintenance only.
    plan = CallPlan.objects.create(office=bsw, category="lift")
    plan.service_units.set([repair_team])
    assert calls.plans(bsw)["lift"] == [repair_team.pk]


def test_an_office_without_units_still_calls_the_head(bsw, reception, head):
    from estate.properties.models import ServiceUnit

    ServiceUnit.objects.filter(office=bsw).update(is_active=False)
    emergency = actions.open_emergency(
        office=bsw, by=reception, channel="desk", category="gas", description="聞到煤氣味",
        service_units=[], location="5棟",
    )  # fmt: skip
    assert [r.person for r in emergency.responders.all()] == [head]


def test_each_responder_is_texted_their_own_check_in_link(fire, head, worker):
    texts = {n.recipient: tasks.sms_text(n) for n in Notification.objects.filter(kind="emergency")}
    links = {person: text.split()[-1] for person, text in texts.items()}
    assert links[head] != links[worker]
    for person, link in links.items():
        assert link.startswith(settings.SITE_URL)
        with time_machine.travel(at("2026-11-26 10:01"), tick=False):
            assert calls.responder_for(link.rsplit("/", 2)[-2]).person == person


def test_one_tap_checks_in_without_signing_in_and_says_so(client, fire, worker, head):
    responder = fire.responders.get(person=worker)
    with time_machine.travel(at("2026-11-26 10:02"), tick=False):
        link = calls.check_in_link(responder)
        page = client.get(link)
        assert 'data-testid="tap-check-in"' in page.text
        responder.refresh_from_db()
        assert responder.on_scene_at is None  # opening the link (or a preview of it) is not a tap
        done = client.post(link)
    assert 'data-testid="on-scene-at"' in done.text
    responder.refresh_from_db()
    assert responder.on_scene_at == at("2026-11-26 10:02")
    clock = Clock.objects.get(work_order=fire.work_order, rule=Rule.ON_SCENE, person=worker)
    assert clock.state == ClockState.MET
    event = fire.work_order.events.get(action="comment", actor=worker)
    assert event.channel == "field"
    # The head's link stays the head's: the worker's tap met only the worker's clock.
    assert (
        Clock.objects.get(work_order=fire.work_order, rule=Rule.ON_SCENE, person=head).state
        == ClockState.RUNNING
    )


def test_a_forged_or_stale_link_checks_nobody_in(client, fire, worker):
    responder = fire.responders.get(person=worker)
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        token = calls.check_in_token(responder)
    forged = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert client.post(reverse("emergencies:tap_check_in", args=[forged])).status_code == 404
    with time_machine.travel(
        at("2026-11-26 10:00") + timedelta(hours=calls.CHECK_IN_LINK_HOURS, minutes=1)
    ):
        assert client.post(reverse("emergencies:tap_check_in", args=[token])).status_code == 404
    responder.refresh_from_db()
    assert responder.on_scene_at is None


def test_the_report_starts_with_what_the_desk_typed_and_who_came_when(
    client, fire, worker, reception
):
    with time_machine.travel(at("2026-11-26 10:03"), tick=False):
        actions.check_in(fire, person=worker, channel="field")
    client.force_login(reception)
    form = client.get(reverse("emergencies:detail", args=[fire.pk])).context["report_form"]
    assert form["place"].value() == "2棟地下車庫"
    assert form["what_happened"].value() == "地下車庫冒煙"
    assert "10:00" in form["actions_taken"].value()
    assert "10:03" in form["actions_taken"].value()
    assert str(worker) in form["actions_taken"].value()


def test_the_new_emergency_page_ticks_the_plan(client, bsw, reception, repair_team):
    client.force_login(reception)
    page = client.get(reverse("emergencies:new"), {"office": bsw.pk})
    assert page.context["form"].plans["fire"] == [repair_team.pk]
    assert 'id="emergency-plans"' in page.text
    assert page.context["form"]["service_units"].value() == [repair_team.pk]


def test_report_sent_back_then_approved_and_archived(fire, reception, leader):
    report = actions.save_report(
        fire, by=reception, occurred_at=at("2026-11-26 09:58"), place="2棟地下車庫", what_happened="電瓶車充電起火",
        actions_taken="滅火器撲滅，疏散人員", causes="違規充電", lessons="加裝充電樁，張貼告示",
    )  # fmt: skip
    actions.submit_report(report, by=reception)
    assert Notification.objects.filter(kind="incident_report_submitted", recipient=leader).exists()
    with pytest.raises(ValidationError):
        actions.save_report(fire, by=reception, lessons="改")  # with leadership: locked
    with pytest.raises(ValidationError):
        actions.review_report(
            report, by=leader, approve=False, note=""
        )  # sending back needs a reason
    actions.review_report(report, by=leader, approve=False, note="請補充損失情況")
    report = actions.save_report(
        fire, by=reception, injuries_and_losses="無人員傷亡，電瓶車一輛燒毀"
    )
    actions.submit_report(report, by=reception)
    report = actions.review_report(report, by=leader, approve=True)
    assert report.status == ReportStatus.APPROVED
    text = PdfReader(io.BytesIO(report.archived_pdf.read())).pages[0].extract_text()
    for expected in ("電瓶車充電起火", "違規充電", "無人員傷亡", fire.work_order.number):
        assert expected in text
    with pytest.raises(ValidationError):
        actions.save_report(fire, by=reception, lessons="改")  # archived: read-only


def test_pages_open_check_in_and_review(client, bsw, reception, repair_team, worker, leader, head):
    repair_team.duty_officers.set([worker])
    client.force_login(reception)
    response = client.post(
        reverse("emergencies:new"),
        {
            "office": bsw.pk,
            "category": "lift",
            "location": "5棟2號電梯",
            "description": "有人被困",
            "service_units": [repair_team.pk],
        },
    )
    assert response.status_code == 302
    detail = response["Location"]
    client.force_login(worker)
    assert 'data-testid="check-in"' in client.get(detail).text
    client.post(detail + "check-in/")
    page = client.get(detail).text
    assert 'data-testid="check-in"' not in page
    assert "(0.0" in page  # minutes to scene
    client.force_login(reception)
    assert (
        client.post(detail + "check-in/", follow=True).status_code == 200
    )  # refused with a message


def test_late_responders_make_one_message_each_that_names_them_in_the_recipients_language(
    fire, reception, head, worker, manager
):
    from estate.accounts.models import User

    User.objects.filter(pk=manager.pk).update(language="en")
    scheduler.sweep(at("2026-11-26 10:04"))
    scheduler.sweep(at("2026-11-26 10:06"))
    for kind in ("clock_warning", "clock_breach"):
        # Two responders' clocks fell due together: the desk hears once, not once a clock.
        assert Notification.objects.filter(kind=kind, recipient=reception).count() == 1
    missed = Notification.objects.get(kind="clock_breach", recipient=reception).text
    assert missed.startswith("超時：")
    assert str(head) in missed
    assert str(worker) in missed
    in_english = Notification.objects.get(kind="clock_breach", recipient=manager).text
    assert in_english.startswith("Missed: Emergency responder on scene within 5 minutes by ")


def test_a_mistyped_unit_never_holds_back_the_alert(client, bsw, reception, repair_team, worker):
    repair_team.duty_officers.set([worker])
    client.force_login(reception)
    response = client.post(
        reverse("emergencies:new"),
        {
            "office": bsw.pk,
            "category": "fire",
            "unit": "3-12O2",  # a letter O for a zero, typed in a hurry
            "description": "廚房起火",
            "service_units": [repair_team.pk],
        },
    )
    assert response.status_code == 302
    assert Notification.objects.filter(kind="emergency", recipient=worker).exists()
    emergency = actions.Emergency.objects.get()
    assert (emergency.work_order.unit, emergency.work_order.location) == (None, "3-12O2")
    page = client.get(response["Location"]).content.decode()
    assert "3-12O2" in page
    assert "找不到" in page
