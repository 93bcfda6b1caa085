"""Community activities (學雷鋒好人好事活動): residents propose needs and vote; the office plans an
activity each quarter from them, residents sign up, and the office records what was done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from estate.properties.models import OfficeScoped


class Need(OfficeScoped):
    """A need residents would like help with (e.g. free haircuts for the elderly)."""

    text = models.CharField(_("need"), max_length=200)
    proposed_by = models.ForeignKey(
        "properties.Resident", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("residents' need")
        verbose_name_plural = _("residents' needs")
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    """One resident's vote for a need (once each)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="votes")
    resident = models.ForeignKey("properties.Resident", on_delete=models.CASCADE, related_name="+")
    voted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["need", "resident"], name="vote_once_per_need")
        ]

    def __str__(self) -> str:
        return f"{self.need} · {self.resident_id}"


class Activity(OfficeScoped):
    """The quarter's activity: planned from a need, held on a day, recorded once done."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")

    quarter = models.CharField(_("quarter"), max_length=6, db_index=True)
    title = models.CharField(_("title"), max_length=100)
    need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    record = models.TextField(_("what was done"), blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("community activity")
        verbose_name_plural = _("community activities")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class SignUp(models.Model):
    """A resident signed up for an activity; ``took_part`` is ticked when it is recorded."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sign_ups")
    resident = models.ForeignKey("properties.Resident", on_delete=models.CASCADE, related_name="+")
    signed_up_at = models.DateTimeField(auto_now_add=True)
    took_part = models.BooleanField(_("took part"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "resident"], name="signup_once")]

    def __str__(self) -> str:
        return f"{self.activity} · {self.resident_id}"
