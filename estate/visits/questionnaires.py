"""Opinion questionnaires (意見徵詢, R-C3): sent regularly to departments and service units, answered
through a link of their own (or typed in by staff from paper), summarised for leadership.

The only code that writes questionnaires. ``sweep`` is run by the scheduler: it sends rounds whose
day has come, starts the next round of repeating questionnaires, and reports closed rounds to
leadership, each exactly once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from estate.accounts.people import people_with_role
from estate.accounts.roles import Role
from estate.core.locks import hold
from estate.core.periods import add_months
from estate.core.rates import TWO_PLACES, percent
from estate.language import guard
from estate.language.choices import Channel as LanguageChannel
from estate.notifications.actions import notify
from estate.notifications.messages import Message
from estate.properties.models import Department, Office, ServiceUnit
from estate.visits.choices import SATISFIED_FROM, QuestionKind, Repeat, Satisfaction
from estate.visits.models import Invitation, Question, Questionnaire, QuestionnaireAnswer


def create_questionnaire(
    *,
    office: Office,
    title: str,
    intro: str = "",
    questions: list[tuple[str, str]],
    departments: list[Department],
    service_units: list[ServiceUnit],
    opens_on: date,
    closes_on: date,
    repeat: int = Repeat.ONCE,
    by: Any,
) -> Questionnaire:
    """A questionnaire round with its questions (kind, text) and one invitation per addressee;
    sent at once when it opens today or earlier."""
    errors: dict[str, Any] = {}
    if not title.strip():
        errors["title"] = _("Give the questionnaire a title.")
    if not questions:
        errors["questions"] = _("Ask at least one question.")
    if not departments and not service_units:
        errors["departments"] = _("Choose at least one department or service unit to ask.")
    if closes_on < opens_on:
        errors["closes_on"] = _("The closing day cannot be before the opening day.")
    strangers = [x for x in [*departments, *service_units] if x.office_id != office.pk]
    if strangers:
        errors["departments"] = _("%(name)s belongs to another office.") % {"name": strangers[0]}
    if errors:
        raise ValidationError(errors)
    guard.enforce(
        office=office,
        by=by,
        channel=LanguageChannel.QUESTIONNAIRE,
        title=title,
        intro=intro,
        questions="\n".join(text for _kind, text in questions),
    )
    with transaction.atomic():
        round_ = Questionnaire.objects.create(
            office=office,
            title=title.strip(),
            intro=intro.strip(),
            opens_on=opens_on,
            closes_on=closes_on,
            repeat=repeat,
            created_by=by,
        )
        Question.objects.bulk_create(
            Question(questionnaire=round_, position=n, kind=kind, text=text.strip())
            for n, (kind, text) in enumerate(questions, start=1)
        )
        _invite(round_, departments=departments, service_units=service_units)
        if opens_on <= timezone.localdate():
            send_round(round_)
    return round_


def _invite(
    round_: Questionnaire, *, departments: list[Department], service_units: list[ServiceUnit]
) -> None:
    Invitation.objects.bulk_create(
        [
            *(
                Invitation(
                    office_id=round_.office_id,
                    questionnaire=round_,
                    department=d,
                    token=secrets.token_urlsafe(16),
                )
                for d in departments
            ),
            *(
                Invitation(
                    office_id=round_.office_id,
                    questionnaire=round_,
                    service_unit=u,
                    token=secrets.token_urlsafe(16),
                )
                for u in service_units
            ),
        ]
    )


def send_round(round_: Questionnaire) -> int:
    """Send each invitation not yet sent: an SMS with the answer link to the addressee's phone and a
    notification to a service unit's lead. Claimed one by one, so nothing is sent twice."""
    sent = 0
    now = timezone.now()
    for invitation in round_.invitations.filter(sent_at__isnull=True).select_related(
        "department", "service_unit__lead"
    ):
        if not Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
            sent_at=now
        ):
            continue
        sent += 1
        link = reverse("answer_questionnaire", args=[invitation.token])
        text = Message(
            gettext_lazy("%(office)s asks your opinion: %(title)s, until %(day)s."),
            {
                "office": round_.office.name,
                "title": round_.title,
                "day": round_.closes_on.isoformat(),
            },
        )
        addressee = invitation.addressee
        if addressee.phone:
            from estate.visits.tasks import send_invitation_sms

            transaction.on_commit(partial(send_invitation_sms.enqueue, invitation.pk))
        lead = getattr(addressee, "lead", None)
        if lead is not None:
            notify(
                office_id=round_.office_id,
                recipients=[lead],
                kind="questionnaire",
                text=text,
                link=link,
                dedup_key=f"questionnaire:{invitation.pk}",
            )
    return sent


def answer_questionnaire(
    invitation: Invitation,
    *,
    respondent: str,
    answers: dict[int, Any],
    recorded_by: Any = None,
    today: date | None = None,
) -> Invitation:
    """Record one invitee's answers ({question id: score or text}); once only, while the round is open.
    A score question must be answered on the scale; written answers may be left empty."""
    today = today or timezone.localdate()
    round_ = invitation.questionnaire
    if invitation.answered_at is not None:
        raise ValidationError(_("This questionnaire has already been answered."))
    if today > round_.closes_on:
        raise ValidationError(
            _("This questionnaire closed on %(day)s.") % {"day": round_.closes_on.isoformat()}
        )
    if not respondent.strip():
        raise ValidationError({"respondent": _("Write the name of the person answering.")})
    rows = []
    for question in round_.questions.all():
        given = answers.get(question.pk)
        if question.kind == QuestionKind.SCORE:
            if given not in Satisfaction.values:
                raise ValidationError(
                    {
                        f"q{question.pk}": _("Choose a score from 1 to 5 for “%(q)s”.")
                        % {"q": question}
                    }
                )
            rows.append(QuestionnaireAnswer(invitation=invitation, question=question, score=given))
        elif str(given or "").strip():
            rows.append(
                QuestionnaireAnswer(
                    invitation=invitation, question=question, text=str(given).strip()
                )
            )
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(
            answered_at=timezone.now(),
            respondent=respondent.strip()[:60],
            recorded_by=recorded_by,
        )
        if not claimed:
            raise ValidationError(_("This questionnaire has already been answered."))
        QuestionnaireAnswer.objects.bulk_create(rows)
    invitation.refresh_from_db()
    return invitation


def sweep(today: date | None = None) -> int:
    """Send rounds that opened, start the next round of repeating questionnaires, report closed rounds.
    Returns how many things it did; safe to run any number of times and from several schedulers."""
    today = today or timezone.localdate()
    done = 0
    for round_ in Questionnaire.objects.filter(
        opens_on__lte=today, closes_on__gte=today, invitations__sent_at__isnull=True
    ).distinct():
        with transaction.atomic():
            done += send_round(round_)
    for round_ in Questionnaire.objects.filter(
        repeat__gt=Repeat.ONCE, next_round__isnull=True
    ).select_related("office"):
        if add_months(round_.opens_on, round_.repeat) <= today:
            done += _start_next_round(round_, today) is not None
    for round_ in Questionnaire.objects.filter(
        closes_on__lt=today, reported_at__isnull=True
    ).select_related("office"):
        done += report_to_leadership(round_)
    return done


def _start_next_round(round_: Questionnaire, today: date) -> Questionnaire | None:
    with transaction.atomic():
        hold(f"questionnaire:{round_.pk}:next")  # two schedulers start the next round once
        if Questionnaire.objects.filter(previous=round_).exists():
            return None
        following = Questionnaire.objects.create(
            office=round_.office,
            title=round_.title,
            intro=round_.intro,
            opens_on=add_months(round_.opens_on, round_.repeat),
            closes_on=add_months(round_.closes_on, round_.repeat),
            repeat=round_.repeat,
            previous=round_,
            created_by=round_.created_by,
        )
        Question.objects.bulk_create(
            Question(questionnaire=following, position=q.position, kind=q.kind, text=q.text)
            for q in round_.questions.all()
        )
        invited = round_.invitations.select_related("department", "service_unit")
        _invite(
            following,
            departments=[i.department for i in invited if i.department is not None],
            service_units=[
                i.service_unit
                for i in invited
                if i.service_unit is not None and i.service_unit.is_active
            ],
        )
        if following.opens_on <= today <= following.closes_on:
            send_round(following)
    return following


def report_to_leadership(round_: Questionnaire) -> int:
    """Tell the office head and the company's leadership that a round closed, with its summary page."""
    if not Questionnaire.objects.filter(pk=round_.pk, reported_at__isnull=True).update(
        reported_at=timezone.now()
    ):
        return 0
    summary = summarize(round_)
    text = Message(
        gettext_lazy(
            "Questionnaire “%(title)s” closed: %(answered)d of %(invited)d answered, "
            "average score %(average)s."
        ),
        {
            "title": round_.title,
            "answered": summary.answered,
            "invited": summary.invited,
            "average": summary.average if summary.average is not None else "—",
        },
    )
    office = round_.office
    return notify(
        office_id=office.pk,
        recipients=[
            *people_with_role(office, Role.HEAD),
            *people_with_role(office, Role.LEADERSHIP),
        ],
        kind="questionnaire_report",
        text=text,
        link=reverse("visits:questionnaire", args=[round_.pk]),
        dedup_key=f"questionnaire-report:{round_.pk}",
    )


@dataclass
class QuestionSummary:
    question: Question
    answers: int = 0
    average: Decimal | None = None
    satisfied_rate: Decimal | None = None
    distribution: dict[int, int] = field(default_factory=dict)
    texts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Summary:
    invited: int
    answered: int
    response_rate: Decimal | None
    average: Decimal | None
    questions: list[QuestionSummary]


def _two_places(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def summarize(round_: Questionnaire) -> Summary:
    """Response rate, and per question: answers, average score, share of scores ≥ 3 and the spread;
    the written answers with who gave them. Aggregated in SQL."""
    counts = round_.invitations.aggregate(
        invited=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False))
    )
    answers = QuestionnaireAnswer.objects.filter(question__questionnaire=round_)
    overall = answers.filter(score__isnull=False).aggregate(average=Avg("score"))
    per_question: dict[int, dict[str, Any]] = {
        row["question"]: dict(row)
        for row in answers.values("question").annotate(
            n=Count("id"),
            average=Avg("score"),
            satisfied=Count("id", filter=Q(score__gte=SATISFIED_FROM)),
        )
    }
    spread: dict[int, dict[int, int]] = {}
    for question_id, given, n in (
        answers.filter(score__isnull=False)
        .values("question", "score")
        .annotate(n=Count("id"))
        .values_list("question", "score", "n")
    ):
        spread.setdefault(question_id, {})[given or 0] = n
    texts: dict[int, list[tuple[str, str]]] = {}
    for answer in (
        answers.exclude(text="")
        .select_related("invitation__department", "invitation__service_unit")
        .order_by("question_id", "invitation_id")
    ):
        texts.setdefault(answer.question_id, []).append(
            (str(answer.invitation.addressee), answer.text)
        )
    questions = []
    for question in round_.questions.all():
        row: dict[str, Any] = per_question.get(
            question.pk, {"n": 0, "average": None, "satisfied": 0}
        )
        scored = question.kind == QuestionKind.SCORE
        questions.append(
            QuestionSummary(
                question=question,
                answers=row["n"],
                average=_two_places(row["average"]) if scored else None,
                satisfied_rate=percent(row["satisfied"], row["n"], TWO_PLACES) if scored else None,
                distribution={s: spread.get(question.pk, {}).get(s, 0) for s in (5, 4, 3, 2, 1)},
                texts=texts.get(question.pk, []),
            )
        )
    return Summary(
        invited=counts["invited"],
        answered=counts["answered"],
        response_rate=percent(counts["answered"], counts["invited"], TWO_PLACES),
        average=_two_places(overall["average"]),
        questions=questions,
    )


def invitations_waiting(now: datetime | None = None) -> Any:
    """Invitations of open rounds not answered yet (to chase by phone)."""
    today = timezone.localdate(now) if now else timezone.localdate()
    return Invitation.objects.filter(
        answered_at__isnull=True,
        questionnaire__opens_on__lte=today,
        questionnaire__closes_on__gte=today,
    )
