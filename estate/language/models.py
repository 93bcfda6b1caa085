"""Civil language (文明用語): the recommended phrases at hand where staff write to requesters, the
forbidden phrases (服務忌語) the guard keeps from them, and every hit, per staff member.

Rows without an office are the company's standard lists from the seed (附件二, 服務忌語); an
office adds its own beside them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from estate.core.querysets import SharedOrOfficeQuerySet
from estate.language.choices import Channel, GuardMode, Situation
from estate.properties.models import Office, OfficeScoped


class Phrase(models.Model):
    """A recommended phrase (文明服務提倡用語) for one situation, inserted with one click."""

    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("office"),
        help_text=_("Empty: the company's standard phrase, offered to every office."),
    )
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    text = models.CharField(_("phrase"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = SharedOrOfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommended phrase")
        verbose_name_plural = _("recommended phrases")
        ordering = ["situation", "position", "id"]

    def __str__(self) -> str:
        return self.text


class ForbiddenPhrase(models.Model):
    """A phrase that must never reach a requester (服務忌語), matched however it is disguised."""

    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("office"),
        help_text=_("Empty: the company's standard list, checked in every office."),
    )
    text = models.CharField(_("forbidden phrase"), max_length=100)
    source = models.CharField(
        _("as listed"),
        max_length=200,
        blank=True,
        help_text=_("The phrase as the list gives it, when this entry is one part of it."),
    )
    situation = models.CharField(
        _("situation to suggest from"), max_length=20, choices=Situation.choices
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SharedOrOfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("forbidden phrase")
        verbose_name_plural = _("forbidden phrases")
        ordering = ["office_id", "id"]

    def __str__(self) -> str:
        return self.text


class GuardPolicy(OfficeScoped):
    """What the guard does in one office when staff write a forbidden phrase (blocks by default)."""

    mode = models.CharField(
        _("on a forbidden phrase"),
        max_length=10,
        choices=GuardMode.choices,
        default=GuardMode.BLOCK,
    )

    class Meta:
        verbose_name = _("guard policy")
        verbose_name_plural = _("guard policies")
        constraints = [
            models.UniqueConstraint(fields=["office"], name="guardpolicy_one_per_office")
        ]

    def __str__(self) -> str:
        return self.get_mode_display()


class PhraseHit(OfficeScoped):
    """A forbidden phrase a staff member wrote to a requester: blocked, or let through with a warning."""

    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="phrase_hits",
        verbose_name=_("staff member"),
    )
    phrase = models.ForeignKey(
        ForbiddenPhrase,
        on_delete=models.SET_NULL,
        null=True,
        related_name="hits",
        verbose_name=_("forbidden phrase"),
    )
    matched = models.CharField(_("what was written"), max_length=100)
    excerpt = models.CharField(_("excerpt"), max_length=200)
    channel = models.CharField(_("written in"), max_length=20, choices=Channel.choices)
    blocked = models.BooleanField(_("blocked"))
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("forbidden-phrase hit")
        verbose_name_plural = _("forbidden-phrase hits")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["office", "staff_member", "at"], name="phrasehit_person")]

    def __str__(self) -> str:
        return self.matched
