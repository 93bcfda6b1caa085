"""碧水灣's loop closed: return visits recorded, this month's survey under way, two matters many
households complained about (one answered by a lobby notice), and the campus's quarterly
questionnaire to its departments and service units.

Written once per office, through the real actions: an office that already has a survey plan
(or, for the campus, a questionnaire) is left alone. Households are chosen by address, not
at random, so the plan needs no part of it.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.utils import timezone

from estate.accounts.models import User
from estate.frontdesk import actions as frontdesk
from estate.frontdesk.choices import Channel, Outcome
from estate.frontdesk.models import ServiceItem
from estate.notices import actions as notices
from estate.properties.models import Department, Office, Resident, ServiceUnit
from estate.visits import actions as visits
from estate.visits import common, questionnaires
from estate.visits.choices import ItemKind, QuestionKind, Repeat, VisitChannel, VisitStatus
from estate.visits.models import OpinionItem, Questionnaire, ReturnVisit, SurveyPlan
from estate.workorders.choices import EventChannel, Kind

# Five households of one building each; the wording varies as callers' does.
LIFT_COMPLAINTS = (
    "7棟電梯這週又停了兩次，老人上下樓很不方便",
    "七棟的電梯經常壞，困在裡面十分鐘",
    "7棟電梯老是停運，什麼時候徹底修好？",
    "電梯又故障了（7棟），希望盡快解決",
    "7棟电梯频繁停运，投诉",
)
RUBBISH_COMPLAINTS = (
    "12棟樓下垃圾桶滿了沒人清，很臭",
    "12棟垃圾清運太晚，味道很大",
    "12棟門口的垃圾一直沒有清走",
    "垃圾站（12棟）兩天沒清運了",
    "12棟的垃圾桶旁邊堆滿垃圾，有蟲",
)
# (score, items) for the first return calls after jobs and the first survey visits.
Visit = tuple[int | None, tuple[tuple[str, str], ...]]
ORDER_VISITS: tuple[Visit, ...] = (
    (5, ()),
    (4, ((ItemKind.SUGGESTION, "希望維修後順手把地面清理乾淨"),)),
    (5, ((ItemKind.OPINION, "師傅很準時，謝謝"),)),
    (3, ()),
)
SURVEY_VISITS: tuple[Visit, ...] = (
    (5, ()),
    (4, ((ItemKind.CRITICISM, "地下車庫燈光太暗，晚上不安全"),)),
    (4, ()),
    (None, ()),  # not reached this time
    (5, ((ItemKind.SUGGESTION, "希望增加快遞櫃"),)),
    (3, ()),
    (5, ()),
)
ANSWERS = {"地下車庫燈光太暗，晚上不安全": "已安排電工本週更換車庫燈管，並增加兩盞感應燈。"}


def seed_followup(office: Office, users: dict[str, User], created: Counter[str]) -> None:
    """Record visits, plan and half-do this month's survey, and raise two common issues."""
    if SurveyPlan.objects.filter(office=office).exists():
        return
    head, manager, reception = users["head"], users["manager"], users["reception"]
    for visit, (score, items) in zip(
        ReturnVisit.objects.filter(office=office, status=VisitStatus.OPEN, work_order__isnull=False)
        .select_related("assigned_to")
        .order_by("id"),
        ORDER_VISITS,
        strict=False,
    ):
        _record(visit, score, items, by=visit.assigned_to, created=created)
    plan = visits.plan_month(office=office, month=timezone.localdate(), by=head)
    for visit, (score, items) in zip(
        plan.visits.select_related("assigned_to").order_by("id"), SURVEY_VISITS, strict=False
    ):
        _record(visit, score, items, by=visit.assigned_to, created=created)
    for item_text, answer in ANSWERS.items():
        for item in OpinionItem.objects.filter(office=office, text=item_text):
            visits.answer_item(item, by=manager, answer=answer)
    _complaints(office, "7", LIFT_COMPLAINTS, reception, manager, created)
    _complaints(office, "12", RUBBISH_COMPLAINTS, reception, manager, created)
    issues = common.regroup(office)
    created["common issues"] += len(issues)
    lift = next((i for i in issues if "電梯" in i.title or "电梯" in i.title), None)
    notice = notices.write_notice(
        office=office,
        by=manager,
        title="7棟電梯維修安排",
        body=(
            "各位業主：\n近期7棟電梯多次停運，給大家帶來不便，深表歉意。"
            "電梯公司將於本週六上午9時至12時更換控制主板，屆時請使用步梯，"
            "行動不便的住戶請提前致電管理處，我們將安排人員協助。\n感謝大家的理解與支持。"
        ),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=14),
    )
    notices.publish(notice, by=manager)
    created["notices"] += 1
    if lift is not None:
        common.answer_with_notice(lift, notice)


def _record(
    visit: ReturnVisit,
    score: int | None,
    items: tuple[tuple[str, str], ...],
    *,
    by: User,
    created: Counter[str],
) -> None:
    visits.record_visit(
        visit,
        by=by,
        channel=VisitChannel.PHONE,
        reached=score is not None,
        score=score,
        items=list(items),
    )
    created["return visits recorded"] += 1


def _complaints(
    office: Office,
    building: str,
    texts: tuple[str, ...],
    by: User,
    manager: User,
    created: Counter[str],
) -> None:
    """One complaint from the main contact of each of the first households of ``building``, sent
    to the first team with the manager assigned at once (R-A2.0: a manager within 10 minutes)."""
    callers = (
        Resident.objects.filter(
            office=office, is_primary=True, household__unit__building__code=building
        )
        .select_related("household__unit")
        .order_by("household__unit__sort_key", "id")[: len(texts)]
    )
    item = ServiceItem.objects.filter(office=office, kind=Kind.COMPLAINT).first()
    team = ServiceUnit.objects.filter(office=office).order_by("id").first()
    for caller, text in zip(callers, texts, strict=False):
        frontdesk.take_contact(
            office=office,
            by=by,
            contact={
                "channel": Channel.CALL,
                "kind": Kind.COMPLAINT,
                "intent": text,
                "outcome": Outcome.WORK_ORDER,
                "requester": caller,
                "service_item": item,
            },
            order={"description": text, "service_unit": team, "assignee": manager},
            event_channel=EventChannel.DESK,
        )
        created["contacts"] += 1
        created["work orders"] += 1


CAMPUS_QUESTIONS = (
    (QuestionKind.SCORE, "維修報修是否及時？"),
    (QuestionKind.SCORE, "保潔工作是否到位？"),
    (QuestionKind.SCORE, "服務人員態度如何？"),
    (QuestionKind.TEXT, "對後勤服務還有甚麼意見和建議？"),
)
# department name: (scores, written answer)
CAMPUS_ANSWERS = {
    0: ((5, 4, 5), "希望假期也安排值班維修"),
    1: ((4, 3, 4), ""),
    2: ((3, 4, 5), "教室投影儀報修後等了兩天"),
}


def seed_questionnaire(office: Office, users: dict[str, User], created: Counter[str]) -> None:
    """The campus's quarterly questionnaire, open now, answered by three of its departments."""
    if Questionnaire.objects.filter(office=office).exists():
        return
    today = timezone.localdate()
    round_ = questionnaires.create_questionnaire(
        office=office,
        title="後勤服務季度意見徵詢",
        intro="請各部門對本季度後勤服務提出意見，我們將逐條研究並答復。",
        questions=list(CAMPUS_QUESTIONS),
        departments=list(Department.objects.filter(office=office, is_external=False)),
        service_units=list(ServiceUnit.objects.filter(office=office, is_active=True)),
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=11),
        repeat=Repeat.QUARTERLY,
        by=users["campus_desk"],
    )
    created["questionnaires"] += 1
    questions = list(round_.questions.all())
    invitations = list(round_.invitations.filter(department__isnull=False).order_by("id"))
    for index, (scores, text) in CAMPUS_ANSWERS.items():
        if index >= len(invitations):
            break
        answers: dict[int, int | str] = dict(
            zip([q.pk for q in questions[:3]], scores, strict=True)
        )
        answers[questions[3].pk] = text
        questionnaires.answer_questionnaire(
            invitations[index], respondent="辦公室", answers=answers
        )
        created["questionnaire answers"] += 1
