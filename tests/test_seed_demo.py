"""``manage.py seed_demo``: the demo registry, its logins, re-runs and determinism."""

import io
import random
from collections import Counter
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command

from estate import demo
from estate.accounts.models import StaffRole, User
from estate.demo import history
from estate.frontdesk.models import Contact, Referral, ServiceItem
from estate.notifications.models import Notification
from estate.properties.models import (
    Building,
    Department,
    Household,
    Office,
    Resident,
    ServiceUnit,
    Unit,
)
from estate.workorders.models import WorkOrder

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
    for app_label in (
        "accounts", "properties", "frontdesk", "workorders", "notifications", "equipment",
        "patrols", "planned",
    ):  # fmt: skip
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
    assert before["workorders.WorkOrder"] > 0
    assert before["frontdesk.Referral"] > 0
    assert before["notifications.Notification"] > 0
    # Planned work: the night patrol with its check points, the pump round, the lifts' service.
    assert before["patrols.CheckPoint"] == 4
    assert before["planned.Plan"] == 3
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
    assert len(first.desk) == len(demo.DESK_CASES)
    anchor_case = next(i for i, case in enumerate(demo.DESK_CASES) if case.who == "anchor")
    assert first.desk[anchor_case].phone == first.anchor.primary.phone
    addresses = [caller.address for caller in first.desk if caller and caller.address]
    assert len(addresses) == len(set(addresses))  # every caller from a different household


@pytest.mark.django_db
def test_if_empty_loads_nothing_into_a_database_with_data():
    from estate.properties.models import Company, Unit

    Company.objects.create(name="真實物業")
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert not Unit.objects.exists()
    assert "not loaded" in out.getvalue()


@pytest.mark.django_db
def test_each_office_has_a_service_catalogue_with_a_unit_for_every_repair():
    seed_demo()

    bsw = ServiceItem.objects.filter(office__code="BSW").select_related("service_unit")
    assert 10 <= bsw.count() <= 12
    assert {"水電維修", "管道疏通", "家政保潔", "證明開具", "裝修申請", "投訴受理"} <= {
        item.name for item in bsw
    }
    for item in ServiceItem.objects.select_related("service_unit", "office"):
        assert item.service_unit is not None, item.name
        assert item.service_unit.office_id == item.office_id, item.name
        assert len(item.procedure_steps) >= 3, item.name
        if item.fee_kind == "priced":
            assert item.prices, item.name
    assert all(item.service_unit.name == "維修班" for item in bsw.filter(kind="repair"))
    assert bsw.get(name="家政保潔").service_unit.name == "清潔班"
    concierge = bsw.get(name="禮賓協助（行李、老弱病殘送至電梯口）")
    assert (concierge.service_unit.name, concierge.fee_kind) == ("禮賓部", "free")
    assert "身份證" in bsw.get(name="證明開具").document_list
    assert any("押金" in line for line in bsw.get(name="裝修申請").prices)
    assert "更換水龍頭 人工費 30 元" in bsw.get(name="水電維修").prices

    campus = ServiceItem.objects.filter(office__code="CAMPUS")
    assert campus.count() >= 6
    assert campus.get(name="宿舍報修").service_unit.name == "宿舍管理科"
    assert campus.get(name="飲食服務投訴").service_unit.name == "飲食服務中心"


@pytest.mark.django_db
def test_departments_say_what_they_handle_and_bsw_has_a_referral_directory():
    seed_demo()

    outside = Department.objects.filter(office__code="BSW", is_external=True)
    assert {"社區居委會", "轄區派出所", "供電所", "自來水公司", "燃氣公司"} <= {
        d.name for d in outside
    }
    assert outside.count() >= 7
    assert not Department.objects.filter(office__code="BSW", is_external=False).exists()
    assert outside.get(name="供電所").phone == "95598"
    campus = Department.objects.filter(office__code="CAMPUS")
    assert set(campus.values_list("name", flat=True)) == set(demo.DEPARTMENTS)
    assert not campus.filter(is_external=True).exists()
    for department in Department.objects.all():
        assert all((department.scope, department.phone, department.location)), department.name
    # Nobody in a referral department is a requester.
    assert not Resident.objects.filter(department__is_external=True).exists()


@pytest.mark.django_db
def test_bsw_desk_has_contacts_and_orders_in_many_stages_made_through_the_actions():
    seed_demo()

    from estate.demo.followup import LIFT_COMPLAINTS, RUBBISH_COMPLAINTS

    orders = (
        WorkOrder.objects.filter(office__code="BSW")
        .exclude(description__in=LIFT_COMPLAINTS + RUBBISH_COMPLAINTS)  # the common issues
        .exclude(contact__notes=history.MARK)  # the recent past
        .prefetch_related("events")
    )
    expected = Counter(case.ends for case in demo.DESK_CASES if case.outcome == "work_order")
    assert Counter(order.status for order in orders) == expected
    assert len(expected) >= 6
    assert 15 <= orders.count() <= 20
    assert {"repair", "housekeeping", "complaint", "concierge"} <= {o.kind for o in orders}
    for order in orders:
        events = list(order.events.all())
        assert (events[0].action, events[0].to_status) == ("open", "new"), order.number
        assert events[-1].to_status == order.status, order.number
        assert order.contact is not None, order.number  # opened from the desk console
        assert order.number.startswith("BSW-")
    assert len({order.number for order in orders}) == orders.count()
    emergency = orders.get(is_emergency=True)
    assert emergency.location.startswith("2棟地下車庫")
    assert emergency.priority == "urgent"
    for order in orders.filter(status__in=["replied", "closed"]):
        assert order.replies.filter(is_final=True).count() == 1, order.number
    attitude = orders.get(kind="complaint", status="replied")
    assert attitude.assignee.username == "manager"
    assert attitude.contact.agitated
    assert Notification.objects.filter(recipient__username="head", kind="agitated_visitor").exists()

    contacts = Contact.objects.filter(office__code="BSW").exclude(
        intent__in=LIFT_COMPLAINTS + RUBBISH_COMPLAINTS
    )
    assert 20 <= contacts.count() <= 30
    assert {"answered", "information", "referred", "work_order"} == set(
        contacts.values_list("outcome", flat=True)
    )
    power_cut = Referral.objects.get(office__code="BSW", department__name="供電所")
    assert "停電" in power_cut.contact.intent
    assert "95598" in power_cut.told_requester
    assert power_cut.confirmed_at is not None
    assert not Contact.objects.filter(office__code="CAMPUS").exists()


@pytest.mark.django_db
def test_the_leaking_kitchen_pipe_at_3_1202_is_still_open():
    output = seed_demo()

    order = WorkOrder.objects.get(unit__address="3-1202", description__contains="廚房水管漏水")
    assert order.status == "dispatched"
    assert order.is_open
    assert order.requester.user.username == "resident"
    assert (order.service_unit.name, order.assignee.username) == ("維修班", "worker")
    assert order.accountable.username == "reception"
    assert order.promised_at is not None
    assert order.number in output


@pytest.mark.django_db
def test_the_demo_starts_calm_with_a_few_misses_in_its_past():
    """Nothing is past due when ``make run`` starts; the figures still show a few misses, each
    recorded at its deadline, and what the past sent is not sent again."""
    from django.utils import timezone

    from estate.notifications.models import Delivery
    from estate.timerules.choices import ClockState
    from estate.timerules.models import Clock

    seed_demo()
    now = timezone.now()
    running = Clock.objects.filter(state=ClockState.RUNNING)
    assert running.exists()
    assert not running.filter(due_at__lt=now).exists()
    assert not running.filter(warn_at__lt=now).exists()
    missed = Clock.objects.filter(state=ClockState.BREACHED)
    assert missed.count() == 2
    for clock in missed:
        assert clock.breached_at == clock.due_at
        assert clock.due_at < now - timedelta(days=1)
        assert clock.work_order.contact.notes == history.MARK
    assert (
        Clock.objects.filter(state=ClockState.MET, work_order__contact__notes=history.MARK).count()
        > 5
    )
    past = Delivery.objects.filter(notification__created_at__lt=now - timedelta(days=1))
    assert past.exists()
    assert not past.exclude(result=Delivery.Result.SKIPPED).exists()
    # Seeding again adds no second past.
    seed_demo()
    assert Clock.objects.filter(state=ClockState.BREACHED).count() == 2


@pytest.mark.django_db
def test_the_summary_counts_the_catalogue_the_directory_and_the_desk():
    output = seed_demo()

    assert "10 service items" in output
    assert "7 referral departments" in output
    # 26 desk cases, 10 complaints behind the two common issues and 3 jobs of the recent past.
    assert "39 contacts" in output
    assert "31 work orders" in output
    assert "questionnaires 1" in output


@pytest.mark.django_db
def test_departments_left_bare_by_an_earlier_version_get_their_details_once():
    seed_demo()
    campus = Department.objects.filter(office__code="CAMPUS")
    campus.update(scope="", phone="", location="")
    campus.filter(name="圖書館").update(phone="057100000000")  # edited by the office

    seed_demo()

    assert not campus.filter(scope="").exclude(name="圖書館").exists()
    library = campus.get(name="圖書館")
    assert (library.scope, library.phone) == ("", "057100000000")
    before = model_counts()
    assert "Nothing to create" in seed_demo()
    assert model_counts() == before


@pytest.mark.django_db
def test_the_loop_is_closed_visits_survey_common_issues_notice_and_a_questionnaire():
    from estate.notices.models import Notice
    from estate.visits.models import CommonIssue, OpinionItem, Questionnaire, ReturnVisit

    seed_demo()
    bsw = Office.objects.get(code=demo.BSW.code)
    done = ReturnVisit.objects.filter(office=bsw, visited_at__isnull=False)
    assert done.filter(kind="order").count() >= 3
    assert done.filter(kind="survey", score__isnull=False).count() == 6
    assert ReturnVisit.objects.filter(office=bsw, kind="survey").count() >= 20
    pending = OpinionItem.objects.filter(office=bsw, answered_at__isnull=True)
    assert set(pending.values_list("text", flat=True)) >= {"希望增加快遞櫃"}
    lift, rubbish = (
        CommonIssue.objects.filter(office=bsw, households=5)
        .order_by("title")
        .select_related("notice")
    )
    answered = {issue.notice.title if issue.notice else None for issue in (lift, rubbish)}
    assert answered == {"7棟電梯維修安排", None}
    assert Notice.objects.filter(office=bsw, published_at__isnull=False).count() == 1
    campus_round = Questionnaire.objects.get(office__code=demo.CAMPUS.code)
    assert campus_round.invitations.filter(answered_at__isnull=False).count() == 3
    assert campus_round.invitations.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_the_knowledge_base_has_articles_and_the_renovation_handout_carries_one():
    from estate.knowledge.models import Article

    seed_demo()
    assert Article.objects.filter(office__isnull=True).count() == 2
    item = ServiceItem.objects.get(office__code=demo.BSW.code, name="裝修申請")
    assert [a.title for a in item.articles.all()] == ["裝修申請辦理程序"]
