"""Opinion questionnaires to departments and service units (R-C3): sent, answered once by link or on
paper, repeated each period, summarised exactly and reported to leadership once."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from estate.accounts.models import User
from estate.accounts.roles import Role
from estate.notifications.models import Notification
from estate.properties.models import Department
from estate.visits import questionnaires
from estate.visits.choices import QuestionKind, Repeat
from estate.visits.models import Invitation, Questionnaire, QuestionnaireAnswer
from tests.factories import PASSWORD, staff

TODAY = "2026-11-26 10:00 +08:00"


@pytest.fixture
def library(bsw):
    return Department.objects.create(office=bsw, name="圖書館", phone="13800001111")


@pytest.fixture
def housing(bsw):
    return Department.objects.create(office=bsw, name="房產處", phone="")


def a_round(office, head, departments, units, *, repeat=Repeat.ONCE, opens=date(2026, 11, 20)):
    return questionnaires.create_questionnaire(
        office=office,
        title="後勤服務意見徵詢",
        questions=[
            (QuestionKind.SCORE, "維修是否及時？"),
            (QuestionKind.SCORE, "服務態度如何？"),
            (QuestionKind.TEXT, "還有甚麼意見和建議？"),
        ],
        departments=departments,
        service_units=units,
        opens_on=opens,
        closes_on=date(2026, 11, 30),
        repeat=repeat,
        by=head,
    )


def score(round_, position):
    return round_.questions.get(position=position).pk


@time_machine.travel(TODAY, tick=False)
def test_a_round_is_sent_by_sms_and_to_the_unit_lead(
    bsw,
    head,
    library,
    housing,
    repair_team,
    repair_lead,
    sms_outbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        round_ = a_round(bsw, head, [library, housing], [repair_team])
    assert round_.invitations.count() == 3
    assert not round_.invitations.filter(sent_at__isnull=True).exists()
    token = round_.invitations.get(department=library).token
    ((number, _text, _key),) = [sent for sent in sms_outbox if f"/opinion/{token}/" in sent[1]]
    assert number.endswith("1111")
    note = Notification.objects.get(recipient=repair_lead, kind="questionnaire")
    assert note.link == f"/opinion/{round_.invitations.get(service_unit=repair_team).token}/"
    assert questionnaires.send_round(round_) == 0  # nothing is sent twice


@time_machine.travel(TODAY, tick=False)
def test_answering_by_link_once_without_signing_in(client, bsw, head, library, repair_team):
    round_ = a_round(bsw, head, [library], [repair_team])
    invitation = round_.invitations.get(department=library)
    page = client.get(f"/opinion/{invitation.token}/")
    assert "維修是否及時？" in page.content.decode()
    form = {
        "respondent": "王老師",
        f"q{score(round_, 1)}": "5",
        f"q{score(round_, 2)}": "4",
        f"q{score(round_, 3)}": "希望周末也有人值班",
    }
    thanks = client.post(f"/opinion/{invitation.token}/", form)
    assert 'data-testid="thanks"' in thanks.content.decode()
    invitation.refresh_from_db()
    assert (invitation.respondent, invitation.recorded_by) == ("王老師", None)
    assert sorted(invitation.answers.values_list("score", flat=True), key=str) == [4, 5, None]
    again = client.post(f"/opinion/{invitation.token}/", {**form, "respondent": "李老師"})
    assert 'data-testid="refused"' in again.content.decode()
    assert "此意見徵詢已填寫" in again.content.decode()
    assert QuestionnaireAnswer.objects.filter(invitation=invitation).count() == 3
    assert client.get("/opinion/not-a-token/").status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_a_missing_or_off_scale_score_names_the_question_and_keeps_what_was_typed(
    client, bsw, head, library
):
    round_ = a_round(bsw, head, [library], [])
    invitation = round_.invitations.get()
    answer = client.post(
        f"/opinion/{invitation.token}/",
        {
            "respondent": "王老師",
            f"q{score(round_, 1)}": "9",
            f"q{score(round_, 3)}": "希望周末也有人值班",
        },
    )
    body = answer.content.decode()
    assert answer.status_code == 400
    assert f'data-field="q{score(round_, 1)}"' in body
    assert f'data-field="q{score(round_, 2)}"' in body
    assert "希望周末也有人值班" in body
    assert not QuestionnaireAnswer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None
    with pytest.raises(ValidationError) as refused:
        questionnaires.answer_questionnaire(
            invitation, respondent="王", answers={score(round_, 1): 0, score(round_, 2): 3}
        )
    assert f"q{score(round_, 1)}" in refused.value.message_dict


def test_a_closed_round_takes_no_answers(bsw, head, library):
    with time_machine.travel(TODAY, tick=False):
        round_ = a_round(bsw, head, [library], [])
    invitation = round_.invitations.get()
    with pytest.raises(ValidationError, match="2026-11-30 截止"):
        questionnaires.answer_questionnaire(
            invitation,
            respondent="王",
            answers={score(round_, 1): 5, score(round_, 2): 5},
            today=date(2026, 12, 1),
        )


@time_machine.travel(TODAY, tick=False)
def test_staff_type_in_a_paper_answer(client, bsw, head, housing):
    round_ = a_round(bsw, head, [housing], [])
    invitation = round_.invitations.get()
    client.login(username="head", password=PASSWORD)
    page = client.post(
        f"/visits/questionnaires/invitations/{invitation.pk}/paper/",
        {"respondent": "張處長", f"q{score(round_, 1)}": "2", f"q{score(round_, 2)}": "3"},
    )
    assert page.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.respondent, invitation.recorded_by) == ("張處長", head)


@time_machine.travel(TODAY, tick=False)
def test_the_summary_equals_the_hand_computed_figures(
    client, bsw, head, library, housing, repair_team
):
    round_ = a_round(bsw, head, [library, housing], [repair_team])
    first, second, third = (score(round_, n) for n in (1, 2, 3))
    library_, housing_, unit_ = (
        round_.invitations.get(department=library),
        round_.invitations.get(department=housing),
        round_.invitations.get(service_unit=repair_team),
    )
    questionnaires.answer_questionnaire(
        library_, respondent="王", answers={first: 5, second: 4, third: "周末值班"}
    )
    questionnaires.answer_questionnaire(housing_, respondent="張", answers={first: 2, second: 3})
    summary = questionnaires.summarize(round_)
    # Two of three answered; scores 5, 4, 2, 3 average 3.5; question 1: 5 and 2 → 3.50, one of
    # two at 3 or above → 50 %; question 2: 4 and 3 → 3.50, 100 %.
    assert (summary.invited, summary.answered) == (3, 2)
    assert summary.response_rate == Decimal("66.67")
    assert summary.average == Decimal("3.50")
    q1, q2, q3 = summary.questions
    assert (q1.answers, q1.average, q1.satisfied_rate) == (2, Decimal("3.50"), Decimal("50.00"))
    assert q1.distribution == {5: 1, 4: 0, 3: 0, 2: 1, 1: 0}
    assert (q2.average, q2.satisfied_rate) == (Decimal("3.50"), Decimal("100.00"))
    assert (q3.answers, q3.average, q3.texts) == (1, None, [("圖書館", "周末值班")])
    assert unit_.answered_at is None
    client.login(username="head", password=PASSWORD)
    page = client.get(f"/visits/questionnaires/{round_.pk}/").content.decode()
    assert 'data-testid="answered">2 / 3' in page
    assert 'data-testid="average">3.50' in page


def test_an_empty_round_summarises_without_figures(bsw, head, library):
    with time_machine.travel(TODAY, tick=False):
        round_ = a_round(bsw, head, [library], [])
    summary = questionnaires.summarize(round_)
    assert (summary.answered, summary.response_rate, summary.average) == (0, Decimal("0.00"), None)
    assert summary.questions[0].satisfied_rate is None


def test_bad_questionnaires_are_refused_naming_the_field(bsw, other_office, head, library):
    stranger = Department.objects.create(office=other_office, name="外校")
    cases = [
        ({"title": " "}, "title"),
        ({"departments": [], "service_units": []}, "departments"),
        ({"departments": [stranger]}, "departments"),
        ({"closes_on": date(2026, 11, 1)}, "closes_on"),
        ({"questions": []}, "questions"),
    ]
    for change, field in cases:
        fields = {
            "office": bsw, "title": "意見徵詢", "questions": [(QuestionKind.SCORE, "好嗎？")],
            "departments": [library], "service_units": [], "opens_on": date(2026, 11, 20),
            "closes_on": date(2026, 11, 30), "by": head,
        } | change  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            questionnaires.create_questionnaire(**fields)
        assert field in refused.value.message_dict
    assert not Questionnaire.objects.exists()


def test_a_quarterly_round_repeats_once_and_closed_rounds_reach_leadership_once(
    bsw, head, leader, library, repair_team
):
    with time_machine.travel(TODAY, tick=False):
        round_ = a_round(bsw, head, [library], [repair_team], repeat=Repeat.QUARTERLY)
        assert questionnaires.sweep() == 0
        questionnaires.answer_questionnaire(
            round_.invitations.get(department=library),
            respondent="王",
            answers={score(round_, 1): 4, score(round_, 2): 4},
        )
    questionnaires.sweep(date(2026, 12, 1))
    questionnaires.sweep(date(2026, 12, 2))
    reports = Notification.objects.filter(kind="questionnaire_report")
    assert sorted(reports.values_list("recipient__username", flat=True)) == ["head", "leader"]
    assert "2 個對象中 1 個已回覆，平均分 4.00" in reports.first().text
    with time_machine.travel("2027-02-20 09:00 +08:00", tick=False):
        questionnaires.sweep()
        questionnaires.sweep()
    following = Questionnaire.objects.get(previous=round_)
    assert (following.opens_on, following.closes_on) == (date(2027, 2, 20), date(2027, 2, 28))
    assert following.questions.count() == 3
    assert following.invitations.filter(sent_at__isnull=False).count() == 2
    assert Questionnaire.objects.count() == 2


@time_machine.travel(TODAY, tick=False)
def test_other_offices_see_nothing(client, api, bsw, other_office, head, library):

    round_ = a_round(bsw, head, [library], [])
    invitation = round_.invitations.get()
    staff("outsider", Role.HEAD, other_office)
    client.login(username="outsider", password=PASSWORD)
    assert client.get(f"/visits/questionnaires/{round_.pk}/").status_code == 404
    assert (
        client.get(f"/visits/questionnaires/invitations/{invitation.pk}/paper/").status_code == 404
    )
    api.force_authenticate(user=head)
    summary = api.get(f"/api/v1/questionnaires/{round_.pk}/summary/").json()
    assert (summary["invited"], summary["answered"], summary["average"]) == (1, 0, None)
    listed = api.get("/api/v1/questionnaires/").json()
    assert [r["id"] for r in listed["results"]] == [round_.pk]
    api.force_authenticate(user=User.objects.get(username="outsider"))
    assert api.get(f"/api/v1/questionnaires/{round_.pk}/summary/").status_code == 404
    assert Invitation.objects.count() == 1
