"""Return-visit vocabulary: why a visit exists, how it went, and the satisfaction scale."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitKind(models.TextChoices):
    ORDER = "order", _("Return call after a job")
    COMPLAINT = "complaint", _("Complaint return visit")
    SURVEY = "survey", _("Monthly household survey")
    HOME = "home", _("Home visit about a prominent issue")


class VisitStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    UNREACHABLE = "unreachable", _("Not reached")


class VisitChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    HOME = "home", _("Home visit")
    PORTAL = "portal", _("Rated in the resident portal")


class Satisfaction(models.IntegerChoices):
    """The five-level scale of requirements.md."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    FAIRLY_SATISFIED = 3, _("Fairly satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


class ItemKind(models.TextChoices):
    OPINION = "opinion", _("Opinion")
    CRITICISM = "criticism", _("Criticism")
    SUGGESTION = "suggestion", _("Suggestion")


MAX_ATTEMPTS = 3  # calls before a visit counts as "not reached"
SURVEY_HOUSEHOLDS = 20  # at least this many households a month (R-A4.0)
SATISFIED_FROM = 3  # scores of 3 and above count as satisfied (滿意率)


class QuestionKind(models.TextChoices):
    SCORE = "score", _("Score on the five-level scale")
    TEXT = "text", _("Written answer")


class Repeat(models.IntegerChoices):
    """How often a questionnaire is sent again (意見徵詢 regularly, R-C3)."""

    ONCE = 0, _("Once")
    MONTHLY = 1, _("Every month")
    QUARTERLY = 3, _("Every quarter")
    HALF_YEARLY = 6, _("Every half year")
    YEARLY = 12, _("Every year")
