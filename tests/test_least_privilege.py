"""Least privilege for the field and for independence: who handles an order, who is judged by a
complaint, who may assign whom, who records a return visit, who approves taking money back."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from estate.accounts.roles import Role
from estate.billing import payments
from estate.properties.models import ServiceUnit
from estate.visits import actions as visits
from estate.visits.models import ReturnVisit
from estate.workorders import actions
from estate.workorders.models import WorkOrder
from tests.factories import staff


@pytest.fixture
def other_team_order(bsw, reception):
    cleaning = ServiceUnit.objects.create(office=bsw, name="清潔班", kind="cleaning")
    return actions.open_work_order(
        office=bsw, by=reception, channel="desk", kind="housekeeping",
        description="大堂地面濕滑", location="3棟大堂", service_unit=cleaning,
    )  # fmt: skip


def test_a_worker_sees_the_orders_of_his_team_and_his_own_not_the_whole_office(
    client, worker, leaking_pipe, other_team_order
):
    client.force_login(worker)
    assert client.get(reverse("workorders:detail", args=[leaking_pipe.pk])).status_code == 200
    assert client.get(reverse("workorders:detail", args=[other_team_order.pk])).status_code == 404
    assert list(WorkOrder.objects.visible_to(worker)) == [leaking_pipe]


def test_the_staff_member_a_complaint_is_about_cannot_open_it_nor_its_return_visit(
    client, api, bsw, reception, head, worker, repair_team
):
    complaint = actions.open_work_order(
        office=bsw, by=reception, channel="desk", kind="complaint", complaint_type="attitude",
        description="維修工態度惡劣", location="3棟", service_unit=repair_team, about=worker,
    )  # fmt: skip
    client.force_login(worker)
    assert client.get(reverse("workorders:detail", args=[complaint.pk])).status_code == 404
    api.force_authenticate(user=worker)
    assert api.get(f"/api/v1/work-orders/{complaint.pk}/").status_code == 404
    assert complaint.pk not in [o["id"] for o in api.get("/api/v1/work-orders/").json()["results"]]
    client.force_login(head)
    assert client.get(reverse("workorders:detail", args=[complaint.pk])).status_code == 200


def test_a_team_lead_assigns_only_members_of_the_teams_he_leads(
    bsw, repair_lead, worker, leaking_pipe
):
    cashier = staff("cashier", Role.CASHIER, bsw)
    cleaner = staff("cleaner", Role.WORKER, bsw)
    with pytest.raises(ValidationError) as refused:
        actions.assign(leaking_pipe, assignee=cashier, by=repair_lead, channel="desk")
    assert "assignee" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.assign(leaking_pipe, assignee=cleaner, by=repair_lead, channel="desk")
    assert "assignee" in refused.value.message_dict
    assigned = actions.assign(leaking_pipe, assignee=worker, by=repair_lead, channel="desk")
    assert assigned.assignee == worker


def test_nobody_records_the_return_visit_of_a_job_they_did(
    bsw, reception, worker, repair_team, leaking_pipe
):
    manager = staff("manager", Role.MANAGER, bsw)
    actions.assign(leaking_pipe, assignee=manager, by=reception, channel="desk")
    actions.accept(leaking_pipe, by=manager, channel="desk")
    done = actions.complete(leaking_pipe, work_done="換了水管", by=manager, channel="desk")
    visit = ReturnVisit.objects.get(work_order=done)
    with pytest.raises(ValidationError):
        visits.record_visit(visit, by=manager, channel="phone", reached=True, score=5)
    visits.record_visit(visit, by=reception, channel="phone", reached=True, score=5)
    visit.refresh_from_db()
    assert visit.visited_by == reception


def test_a_complaints_return_visit_is_not_planned_for_the_manager_who_did_the_job(
    bsw, reception, repair_team
):
    doer = staff("doer", Role.MANAGER, bsw)
    other = staff("other", Role.MANAGER, bsw)
    complaint = actions.open_work_order(
        office=bsw, by=reception, channel="desk", kind="complaint", description="樓道燈壞了",
        location="3棟", service_unit=repair_team, assignee=doer,
    )  # fmt: skip
    actions.accept(complaint, by=doer, channel="desk")
    actions.complete(complaint, work_done="換燈", by=doer, channel="desk")
    assert ReturnVisit.objects.get(work_order=complaint).assigned_to == other


def test_a_refund_is_approved_by_someone_else_than_who_asked_or_took_the_money(
    bsw, issued, cashier, head
):
    paid = payments.receive_payment(
        issued["3-1202"], amount=Decimal("100.00"), method="cash", by=head
    )
    asked = payments.request_reversal(
        paid, kind="refund", amount=Decimal("10.00"), reason="多收", by=cashier
    )
    with pytest.raises(ValidationError):  # the head took the payment
        payments.decide_reversal(asked, approve=True, by=head)
    other_head = staff("deputy", Role.HEAD, bsw)
    assert payments.decide_reversal(asked, approve=True, by=other_head).status == "approved"
    own = payments.request_reversal(
        payments.receive_payment(
            issued["3-1201"], amount=Decimal("50.00"), method="cash", by=cashier
        ),
        kind="void",
        amount=None,
        reason="錄錯",
        by=other_head,
    )
    with pytest.raises(ValidationError):  # the deputy asked for it
        payments.decide_reversal(own, approve=True, by=other_head)
