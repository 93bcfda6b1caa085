"""Return visits: planned automatically, recorded with attempts and itemised opinions, measured monthly."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from estate.accounts.roles import Role
from estate.properties.models import Unit
from estate.timerules.choices import ClockState, Rule
from estate.timerules.models import Clock
from estate.visits import actions
from estate.visits.measures import measures
from estate.visits.models import OpinionItem, ReturnVisit, SurveyPlan
from estate.workorders import actions as work_orders
from estate.workorders.models import WorkOrder
from tests.factories import ResidentFactory, staff, unit_at

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def done_job(office, reception, worker, repair_team, *, kind="repair", unit=None, **fields):
    order = work_orders.open_work_order(
        office=office, by=reception, channel="desk", kind=kind, description="漏水", location="" if unit else "大堂",
        unit=unit, service_unit=repair_team, assignee=worker, **fields,
    )  # fmt: skip
    work_orders.accept(order, by=worker, channel="desk")
    return work_orders.complete(order, work_done="修好", by=worker, channel="desk")


def test_a_completed_job_gets_a_same_day_return_call_by_reception(
    bsw, reception, worker, repair_team
):
    with time_machine.travel(at("2026-11-26 15:00"), tick=False):
        order = done_job(bsw, reception, worker, repair_team)
    visit = ReturnVisit.objects.get(work_order=order)
    assert (visit.kind, visit.assigned_to, visit.due_at) == (
        "order",
        reception,
        at("2026-11-26 23:59:59"),
    )


def test_a_major_complaint_is_visited_by_the_head(bsw, reception, head, worker, repair_team):
    staff("manager", Role.MANAGER, bsw)
    order = done_job(
        bsw, reception, worker, repair_team, kind="complaint", complaint_type="attitude"
    )
    visit = ReturnVisit.objects.get(work_order=order)
    assert (visit.kind, visit.assigned_to) == ("complaint", head)
    general = done_job(bsw, reception, worker, repair_team, kind="complaint")
    assert ReturnVisit.objects.get(work_order=general).assigned_to.username == "manager"


def test_unreached_three_times_is_not_reached(bsw, reception, worker, repair_team):
    visit = ReturnVisit.objects.get(work_order=done_job(bsw, reception, worker, repair_team))
    for expected in ("open", "open", "unreachable"):
        visit = actions.record_visit(visit, by=reception, channel="phone", reached=False)
        assert visit.status == expected
    assert visit.attempts == 3
    with pytest.raises(ValidationError):
        actions.record_visit(visit, by=reception, channel="phone", reached=True, score=5)


def test_a_low_score_reopens_the_order_and_items_wait_for_answers(
    bsw, reception, worker, repair_team, head
):
    order = done_job(bsw, reception, worker, repair_team, kind="complaint")
    visit = ReturnVisit.objects.get(work_order=order)
    visit = actions.record_visit(
        visit, by=head, channel="phone", reached=True, score=2, comments="還在滴水",
        items=[("criticism", "維修不徹底"), ("suggestion", "希望維修後拍照確認"), ("opinion", "  ")],
    )  # fmt: skip
    order.refresh_from_db()
    assert order.status == "reopened"
    assert Clock.objects.get(work_order=order, rule=Rule.FOLLOW_UP).state == ClockState.MET
    items = list(OpinionItem.objects.filter(visit=visit))
    assert [(i.kind, i.answered_at) for i in items] == [("criticism", None), ("suggestion", None)]
    actions.answer_item(items[1], by=head, answer="已要求維修班完工拍照")
    with pytest.raises(ValidationError):
        actions.answer_item(items[1], by=head, answer="again")
    with pytest.raises(ValidationError):
        actions.answer_item(items[0], by=head, answer="  ")


def test_a_dissatisfied_survey_opens_a_complaint(bsw, reception, manager_user):
    plan = actions.plan_month(office=bsw, month=date(2026, 11, 1), by=reception)
    visit = plan.visits.get()
    actions.record_visit(
        visit, by=manager_user, channel="home", reached=True, score=1, comments="電梯經常壞"
    )
    complaint = WorkOrder.objects.get(kind="complaint")
    assert complaint.unit == visit.household.unit
    assert "電梯經常壞" in complaint.description


def test_score_outside_the_scale_and_bad_channel_are_refused(bsw, reception, worker, repair_team):
    visit = ReturnVisit.objects.get(work_order=done_job(bsw, reception, worker, repair_team))
    for kwargs, field in (
        ({"score": 6}, "score"),
        ({"score": 0}, "score"),
        ({"score": None}, "score"),
    ):
        with pytest.raises(ValidationError) as refused:
            actions.record_visit(visit, by=reception, channel="phone", reached=True, **kwargs)
        assert field in refused.value.message_dict
    with pytest.raises(ValidationError):
        actions.record_visit(visit, by=reception, channel="fax", reached=True, score=4)
    visit.refresh_from_db()
    assert (visit.status, visit.attempts) == ("open", 0)


@pytest.fixture
def manager_user(bsw):
    return staff("manager", Role.MANAGER, bsw)


@pytest.fixture
def estate_of_30(bsw):
    """30 occupied units over 3 buildings (bsw already has 3-1202)."""
    for building in (1, 2, 4):
        for number in range(101, 111):
            ResidentFactory(household__unit=unit_at(bsw, f"{building}-{number}"))
    return bsw


def test_survey_plan_takes_20_households_across_buildings_once(
    estate_of_30, reception, manager_user
):
    staff("repair_lead", Role.TEAM_LEAD, estate_of_30)
    plan = actions.plan_month(office=estate_of_30, month=date(2026, 11, 15), by=reception)
    visits = list(plan.visits.select_related("household__unit__building"))
    assert len(visits) == 20
    assert len({v.household_id for v in visits}) == 20
    per_building = {}
    for v in visits:
        per_building[v.household.unit.building.code] = (
            per_building.get(v.household.unit.building.code, 0) + 1
        )
    # Round robin: building 3 has one household, the other three share the rest evenly.
    assert sorted(per_building.values()) == [1, 6, 6, 7]
    assert {v.assigned_to.username for v in visits} == {"reception", "manager", "repair_lead"}
    assert actions.plan_month(office=estate_of_30, month=date(2026, 11, 1), by=reception) == plan
    assert ReturnVisit.objects.filter(kind="survey").count() == 20
    assert SurveyPlan.objects.count() == 1


def test_households_visited_in_the_last_three_months_are_skipped(
    estate_of_30, reception, manager_user
):
    with time_machine.travel(at("2026-10-10 10:00"), tick=False):
        october = actions.plan_month(office=estate_of_30, month=date(2026, 10, 1), by=reception)
        for visit in october.visits.all():
            actions.record_visit(visit, by=reception, channel="phone", reached=True, score=4)
    with time_machine.travel(at("2026-11-02 10:00"), tick=False):
        november = actions.plan_month(office=estate_of_30, month=date(2026, 11, 1), by=reception)
    seen = set(october.visits.values_list("household_id", flat=True))
    fresh = set(november.visits.values_list("household_id", flat=True))
    assert not seen & fresh
    assert len(fresh) == 11  # 31 households, 20 visited in October


def test_monthly_measures_match_a_hand_computed_fixture(estate_of_30, reception, manager_user):
    """Six answers: 5, 4, 4, 3, 2 and 1, plus two households not reached.
    rate = 4 of 6 = 66.7 %; degree = mean((s-1)/4) = (4+3+3+2+1+0)/4/6 = 54.2 %."""
    with time_machine.travel(at("2026-11-10 10:00"), tick=False):
        plan = actions.plan_month(office=estate_of_30, month=date(2026, 11, 1), by=reception)
        visits = list(plan.visits.order_by("id"))
        for visit, score in zip(visits, [5, 4, 4, 3, 2, 1], strict=False):
            actions.record_visit(visit, by=reception, channel="phone", reached=True, score=score,
                                 items=[("suggestion", "多點綠化")] if score == 3 else [])  # fmt: skip
        for visit in visits[6:8]:
            actions.record_visit(visit, by=reception, channel="phone", reached=False)
    figures = measures(estate_of_30, date(2026, 11, 1), today=date(2026, 12, 1))
    assert figures.households_visited == 6
    assert (figures.answers, figures.satisfied_answers) == (6, 4)
    assert figures.satisfaction_rate == Decimal("66.7")
    assert figures.satisfaction_degree == Decimal("54.2")
    assert (figures.items_raised, figures.items_unanswered) == (1, 1)
    assert figures.households_met is False
    assert figures.rate_met is False
    assert figures.degree_met is False


def test_measures_of_an_empty_month_and_of_all_unreachable(estate_of_30, reception, manager_user):
    empty = measures(estate_of_30, date(2026, 8, 1))
    assert (empty.households_visited, empty.satisfaction_rate, empty.satisfaction_degree) == (
        0,
        None,
        None,
    )
    assert (empty.complaint_visit_rate, empty.rate_met) == (None, None)
    with time_machine.travel(at("2026-09-10 10:00"), tick=False):
        plan = actions.plan_month(office=estate_of_30, month=date(2026, 9, 1), by=reception)
        for visit in plan.visits.all():
            actions.record_visit(visit, by=reception, channel="phone", reached=False)
    unreachable = measures(estate_of_30, date(2026, 9, 1))
    assert (unreachable.households_visited, unreachable.answers, unreachable.satisfaction_rate) == (
        0,
        0,
        None,
    )


def test_complaint_return_visit_rate(bsw, reception, worker, repair_team, head):
    with time_machine.travel(at("2026-11-05 10:00"), tick=False):
        first = done_job(bsw, reception, worker, repair_team, kind="complaint")
        done_job(bsw, reception, worker, repair_team, kind="complaint")
        actions.record_visit(
            ReturnVisit.objects.get(work_order=first),
            by=head,
            channel="phone",
            reached=True,
            score=5,
        )
    figures = measures(bsw, date(2026, 11, 1))
    assert (
        figures.complaints_completed,
        figures.complaints_visited,
        figures.complaint_visit_rate,
    ) == (
        2,
        1,
        Decimal("50.0"),
    )
    assert figures.complaints_met is False


def test_visit_pages_record_and_answer(client, bsw, reception, worker, repair_team, manager_user):
    from django.urls import reverse

    order = done_job(bsw, reception, worker, repair_team)
    visit = ReturnVisit.objects.get(work_order=order)
    client.force_login(reception)
    assert order.number in client.get(reverse("visits:list")).text
    bad = client.post(
        reverse("visits:record", args=[visit.pk]),
        {"channel": "phone", "reached": "yes", "score": ""},
    )
    assert bad.status_code == 400
    assert 'data-field="score"' in bad.text
    client.post(
        reverse("visits:record", args=[visit.pk]),
        {"channel": "phone", "reached": "yes", "score": "2", "suggestions": "維修後請清理現場"},
    )
    order.refresh_from_db()
    assert order.status == "reopened"
    client.force_login(manager_user)
    items_page = client.get(reverse("visits:items")).text
    assert "維修後請清理現場" in items_page
    item = OpinionItem.objects.get()
    client.post(reverse("visits:answer", args=[item.pk]), {"answer": "已提醒維修班"})
    assert "維修後請清理現場" not in client.get(reverse("visits:items")).text
    month_page = client.get(reverse("visits:month")).text
    assert 'data-testid="figures"' in month_page


def test_visits_of_another_office_are_404(
    client, other_office, bsw, reception, worker, repair_team
):
    visit = ReturnVisit.objects.get(work_order=done_job(bsw, reception, worker, repair_team))
    client.force_login(staff("outsider", Role.RECEPTIONIST, other_office))
    from django.urls import reverse

    assert client.get(reverse("visits:record", args=[visit.pk])).status_code == 404
    assert (
        client.post(
            reverse("visits:record", args=[visit.pk]),
            {"channel": "phone", "reached": "yes", "score": "5"},
        ).status_code
        == 404
    )
    visit.refresh_from_db()
    assert visit.status == "open"


def test_the_api_records_visits_answers_items_and_gives_the_months_figures(
    bsw, reception, worker, repair_team, manager_user
):
    from rest_framework.test import APIClient

    from estate.properties.models import Unit

    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        order = done_job(
            bsw, reception, worker, repair_team, unit=Unit.objects.get(address="3-1202")
        )
    visit = ReturnVisit.objects.get(work_order=order)
    api = APIClient()
    api.force_authenticate(reception)
    assert [
        v["work_order"]
        for v in api.get("/api/v1/return-visits/", {"status": "open", "mine": "true"}).json()[
            "results"
        ]
    ] == [order.number]
    refused = api.post(
        f"/api/v1/return-visits/{visit.pk}/record/",
        {"channel": "phone", "reached": "yes", "score": 9},
        format="json",
    )
    assert refused.status_code == 400
    assert "score" in refused.json()
    with time_machine.travel(at("2026-11-26 16:00"), tick=False):
        done = api.post(
            f"/api/v1/return-visits/{visit.pk}/record/",
            {"channel": "phone", "reached": "yes", "score": 4, "suggestions": "延長服務時間"},
            format="json",
        ).json()
    assert (done["status"], done["score"], done["items"][0]["text"]) == ("done", 4, "延長服務時間")
    item_id = done["items"][0]["id"]
    assert [
        i["id"] for i in api.get("/api/v1/opinion-items/", {"unanswered": "true"}).json()["results"]
    ] == [item_id]
    assert (
        api.post(
            f"/api/v1/opinion-items/{item_id}/answer/",
            {"answer": "週六延長至 19:00"},
            format="json",
        ).status_code
        == 200
    )
    again = api.post(f"/api/v1/opinion-items/{item_id}/answer/", {"answer": "再答"}, format="json")
    assert again.status_code == 400
    figures = api.get("/api/v1/visit-measures/", {"office": bsw.pk, "month": "2026-11"}).json()
    assert (
        figures["households_visited"],
        figures["satisfaction_rate"],
        figures["satisfaction_degree"],
    ) == (1, "100.0", "75.0")
    assert figures["items_unanswered"] == 0


def test_the_same_day_call_that_tells_the_result_is_the_reply(
    client, bsw, reception, worker, repair_team
):
    """R-A4.3: one form for the return call and the reply: the reply clock stops with it."""
    from django.urls import reverse

    unit = Unit.objects.get(address="3-1202")
    with time_machine.travel(at("2026-11-26 15:00"), tick=False):
        order = done_job(bsw, reception, worker, repair_team, unit=unit)
    visit = ReturnVisit.objects.get(work_order=order)
    client.force_login(reception)
    url = reverse("visits:record", args=[visit.pk])
    with time_machine.travel(at("2026-11-26 16:00"), tick=False):
        page = client.get(url)
        assert 'data-testid="work-done"' in page.text
        assert page.context["form"]["reply"].value() == "修好"  # what the worker wrote
        refused = client.post(
            url, {"channel": "phone", "reached": "yes", "score": "5", "reply": "急什麼，等一下"}
        )
        assert refused.status_code == 400
        assert refused.context["form"].errors["reply"]
        visit.refresh_from_db()
        assert visit.status == "open"  # nothing half-saved
        done = client.post(
            url,
            {"channel": "phone", "reached": "yes", "score": "5", "reply": "水管已修好，請您放心"},
        )
    assert done.status_code == 302
    order.refresh_from_db()
    assert order.status == "replied"
    reply = order.replies.get()
    assert (reply.text, reply.channel, reply.replied_by) == (
        "水管已修好，請您放心",
        "phone",
        reception,
    )
    clock = Clock.objects.get(work_order=order, rule=Rule.SAME_DAY_REPLY)
    assert clock.state == ClockState.MET


def test_the_caller_may_reveal_the_households_number_for_the_visit_and_it_is_audited(
    client, bsw, reception, worker, repair_team
):
    from django.urls import reverse

    from estate.properties.models import PhoneReveal, Resident

    unit = Unit.objects.get(address="3-1202")
    order = done_job(bsw, reception, worker, repair_team, unit=unit)
    visit = ReturnVisit.objects.get(work_order=order)
    lead = staff("visiting_lead", Role.TEAM_LEAD, bsw)  # records visits; sees no numbers else
    ReturnVisit.objects.filter(pk=visit.pk).update(assigned_to=lead)
    resident = Resident.objects.get(name="陳美玲")
    client.force_login(lead)
    reveal = reverse("properties:reveal_phone", args=[resident.pk])
    assert client.post(reveal).status_code == 403
    page = client.get(reverse("visits:record", args=[visit.pk]))
    assert f"?visit={visit.pk}" in page.text
    shown = client.post(f"{reveal}?visit={visit.pk}")
    assert shown.status_code == 200
    assert "13812341234" in shown.text
    audit = PhoneReveal.objects.get()
    assert (audit.viewer, audit.work_order) == (lead, order)
