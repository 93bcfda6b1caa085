"""Planned-work vocabulary: what a plan is on, how often it falls due, what its items ask, and
the states of a planned task."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Target(models.TextChoices):
    EQUIPMENT = "equipment", _("A piece of equipment")
    EQUIPMENT_KIND = "equipment_kind", _("Every piece of a kind")
    ROUTE = "route", _("A patrol route")


class Frequency(models.TextChoices):
    HOURS = "hours", _("Every N hours")
    DAILY = "daily", _("Daily at given times")
    WEEKLY = "weekly", _("Weekly on given days")
    MONTHLY = "monthly", _("Monthly")
    YEARLY = "yearly", _("Yearly")


class ItemKind(models.TextChoices):
    CHECK = "check", _("OK / not OK")
    READING = "reading", _("A reading")
    PHOTO = "photo", _("A photo")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")
