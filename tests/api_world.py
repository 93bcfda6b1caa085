"""A small office with at least one row behind every API list and action, built on a frozen
day (26 November 2026, Shanghai): the list and fuzz tests of the API share it (loaded from
conftest through ``pytest_plugins``)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from estate.accounts.models import User
from estate.billing import payments
from estate.frontdesk.actions import log_contact
from estate.frontdesk.models import ServiceItem
from estate.knowledge.models import Article
from estate.properties.models import Department, Office, Resident, Unit
from estate.visits import actions as visits
from estate.visits import questionnaires
from estate.visits.choices import QuestionKind
from estate.visits.models import ReturnVisit
from estate.workorders import actions
from estate.workorders.models import WorkOrder

DAY = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@dataclass
class World:
    office: Office
    staff: dict[str, User]  # reception, head, worker, cashier, repair_lead
    resident: User  # 陳美玲 of 3-1202, signed up for the portal
    orders: dict[str, WorkOrder]  # by status: new, dispatched, completed, complaint


@pytest.fixture
def api_world(request, bsw, reception, head, worker, repair_lead, repair_team):
    """The office on a frozen (ticking) 26 November 2026: the 2026Q4 bill run issued, a payment
    with a remark and a refund waiting, a meter reading; orders new, dispatched, completed
    (its return visit recorded, with an opinion waiting for an answer) and an attitude
    complaint; a call answered at the desk; a questionnaire round; a service item, a department and an article."""
    with time_machine.travel(DAY, tick=True):
        cashier = request.getfixturevalue("cashier")
        issued = request.getfixturevalue("issued")
        payment = payments.receive_payment(
            issued["3-1202"], amount=Decimal("100.00"), method="cash", by=cashier,
            remark="樓道燈壞了",
        )  # fmt: skip
        payments.request_reversal(
            payment, kind="refund", amount=Decimal("10.00"), reason="多收", by=cashier
        )
        unit = Unit.objects.get(office=bsw, address="3-1202")
        new = actions.open_work_order(
            office=bsw, by=reception, channel="desk", kind="repair", description="門鎖壞了",
            unit=unit,
        )  # fmt: skip
        dispatched = actions.open_work_order(
            office=bsw, by=reception, channel="desk", kind="repair", description="廚房水管漏水",
            unit=unit, service_unit=repair_team,
        )  # fmt: skip
        completed = actions.open_work_order(
            office=bsw, by=reception, channel="desk", kind="repair", description="燈不亮",
            location="3棟大堂", service_unit=repair_team, assignee=worker,
        )  # fmt: skip
        actions.accept(completed, by=worker, channel="desk")
        actions.complete(completed, work_done="換了燈管", by=worker, channel="desk")
        visits.record_visit(
            ReturnVisit.objects.get(work_order=completed), by=reception, channel="phone",
            reached=True, score=5, items=[("opinion", "希望晚上也有人值班")],
        )  # fmt: skip
        complaint = actions.open_work_order(
            office=bsw, by=reception, channel="desk", kind="complaint", description="態度差",
            location="大堂", complaint_type="attitude",
        )  # fmt: skip
        log_contact(
            office=bsw, by=reception, channel="call", kind="repair", intent="問停水時間",
            outcome="answered", unit=unit,
        )  # fmt: skip
        library = Department.objects.create(office=bsw, name="圖書館", phone="13800001111")
        questionnaires.create_questionnaire(
            office=bsw, title="後勤服務意見徵詢", questions=[(QuestionKind.SCORE, "維修是否及時？")],
            departments=[library], service_units=[repair_team], opens_on=date(2026, 11, 20),
            closes_on=date(2026, 11, 30), by=head,
        )  # fmt: skip
        ServiceItem.objects.create(
            office=bsw, name="水電維修", kind="repair", service_unit=repair_team, fee_kind="free"
        )
        Article.objects.create(
            office=bsw, category="procedure", title="報修流程", body="先登記，再派單。",
            is_public=True, written_by=head,
        )  # fmt: skip
        resident = User.objects.create_user(username="chen")
        Resident.objects.filter(phone="13812341234").update(user=resident)
        people = {"reception": reception, "head": head, "worker": worker, "cashier": cashier}
        people["repair_lead"] = repair_lead
        orders = {"new": new, "dispatched": dispatched, "completed": completed}
        orders["complaint"] = complaint
        yield World(office=bsw, staff=people, resident=resident, orders=orders)
