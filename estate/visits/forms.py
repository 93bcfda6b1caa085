from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.core.forms import bootstrap, limit_choices
from estate.language.widgets import RequesterTextarea, RequesterTextInput
from estate.properties.models import Department, Office, ServiceUnit
from estate.visits.choices import ItemKind, QuestionKind, Repeat, Satisfaction, VisitChannel
from estate.visits.models import Question


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class VisitForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"), choices=VisitChannel.choices, initial=VisitChannel.PHONE
    )
    reached = forms.TypedChoiceField(
        label=_("Reached the household?"),
        choices=[("yes", _("Reached")), ("no", _("Not reached"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    score = forms.TypedChoiceField(
        label=_("Satisfaction"),
        choices=[("", "—"), *Satisfaction.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    comments = forms.CharField(
        label=_("Comments"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    opinions = forms.CharField(
        label=_("Opinions (one per line)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    criticism = forms.CharField(
        label=_("Criticism (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    suggestions = forms.CharField(
        label=_("Suggestions (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    reply = forms.CharField(
        label=_("The result, as you told the requester"),
        widget=RequesterTextarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "The job is done and not yet replied to: what you say on this call is the order's "
            "reply (the same-day reply). Leave it empty if you did not tell the result."
        ),
    )

    def __init__(self, *args: Any, replies_to: Any = None, **kwargs: Any) -> None:
        """``replies_to``: the order this call may reply to (completed, not yet replied)."""
        super().__init__(*args, **kwargs)
        if replies_to is None:
            del self.fields["reply"]
        else:
            self.fields["reply"].initial = replies_to.work_done
        bootstrap(self)

    def items(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            *((ItemKind.OPINION, text) for text in _lines(data.get("opinions", ""))),
            *((ItemKind.CRITICISM, text) for text in _lines(data.get("criticism", ""))),
            *((ItemKind.SUGGESTION, text) for text in _lines(data.get("suggestions", ""))),
        ]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer given"), widget=RequesterTextarea(attrs={"rows": 2}))


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class QuestionnaireForm(forms.Form):
    """A questionnaire round: questions one per line, the departments and service units to ask."""

    title = forms.CharField(label=_("Title"), max_length=100, widget=RequesterTextInput)
    intro = forms.CharField(
        label=_("Introduction"), widget=RequesterTextarea(attrs={"rows": 2}), required=False
    )
    score_questions = forms.CharField(
        label=_("Questions answered with a score (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    text_questions = forms.CharField(
        label=_("Questions answered in writing (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    service_units = forms.ModelMultipleChoiceField(
        label=_("Service units"),
        queryset=ServiceUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    repeat = forms.TypedChoiceField(
        label=_("Repeat"), choices=Repeat.choices, coerce=int, initial=Repeat.QUARTERLY
    )

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.office = office
        limit_choices(
            self, "departments", Department.objects.filter(office=office, is_external=False)
        )
        limit_choices(
            self, "service_units", ServiceUnit.objects.filter(office=office, is_active=True)
        )
        bootstrap(self)

    def questions(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            *((QuestionKind.SCORE, text) for text in _lines(data.get("score_questions", ""))),
            *((QuestionKind.TEXT, text) for text in _lines(data.get("text_questions", ""))),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("score_questions", "text_questions"):
            if any(len(line) > 200 for line in _lines(data.get(name, ""))):
                self.add_error(name, _("A question may have at most 200 characters."))
        return data


class QuestionnaireAnswerForm(forms.Form):
    """One invitee's answers: a score for each score question, writing for the others."""

    respondent = forms.CharField(label=_("Your name"), max_length=60)

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.SCORE:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text,
                    choices=Satisfaction.choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": _("Choose a score for this question."),
                        "invalid_choice": _("Choose a score from 1 to 5."),
                    },
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    required=False,
                    max_length=2000,
                )
        bootstrap(self)

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}
