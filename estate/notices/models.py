"""Notices (公告): written at the office, published for a date range to residents and the lobby
board; planned service interruptions (停水停電通知), told to the households they affect."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estate.core.querysets import OfficeScopedQuerySet
from estate.notices.choices import Utility
from estate.properties.models import Building, OfficeScoped


class NoticeQuerySet(OfficeScopedQuerySet):
    def showing_on(self, day: date) -> NoticeQuerySet:
        """Published notices whose date range includes ``day`` (what residents and the lobby see)."""
        return self.filter(published_at__isnull=False, starts_on__lte=day).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )


class Notice(OfficeScoped):
    """A written notice to residents (書面通知), e.g. the answer to an issue many households raised."""

    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    starts_on = models.DateField(_("shown from"))
    ends_on = models.DateField(_("shown until"), null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()  # type: ignore[misc]  # narrower than OfficeScoped

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="notice_ends_after_it_starts",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            )
        ]

    def __str__(self) -> str:
        return self.title


# The campus norm: households are told a day before the water or power goes off.
DEFAULT_TELL_AHEAD = timedelta(hours=24)


class InterruptionQuerySet(OfficeScopedQuerySet):
    def live(self, now: datetime) -> InterruptionQuerySet:
        """Not cancelled and not over yet: in progress or to come."""
        return self.filter(cancelled_at__isnull=True, ends_at__gt=now)

    def affecting(self, building_ids: list[int]) -> InterruptionQuerySet:
        """Those of the whole site (no building chosen) and those of any of ``building_ids``."""
        return self.filter(Q(buildings__isnull=True) | Q(buildings__in=building_ids)).distinct()

    def due_to_be_told(self, now: datetime) -> InterruptionQuerySet:
        """Time to tell the households (or past it: planned late, or the scheduler was down),
        not told, not cancelled and not over."""
        return self.live(now).filter(tell_at__lte=now, told_at__isnull=True)


class Interruption(OfficeScoped):
    """A planned interruption of water, power, gas or a lift (停水停電通知) in some buildings or
    the whole site, told to the affected households ``tell_ahead`` before it starts."""

    what = models.CharField(_("what"), max_length=20, choices=Utility.choices)
    # None chosen: the whole site (every building of the office).
    buildings = models.ManyToManyField(
        Building, blank=True, related_name="+", verbose_name=_("buildings")
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    text = models.TextField(_("text for residents"))
    tell_ahead = models.DurationField(_("tell households ahead by"), default=DEFAULT_TELL_AHEAD)
    # starts_at − tell_ahead, stored and indexed: the scheduler's deadline column.
    tell_at = models.DateTimeField(_("tell at"), db_index=True, editable=False)
    told_at = models.DateTimeField(_("told at"), null=True, blank=True, editable=False)
    # Bumped by a revision after the households were told, so that they are told again (the
    # message key names the revision).
    revision = models.PositiveSmallIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written at"), auto_now_add=True)

    objects = InterruptionQuerySet.as_manager()  # type: ignore[misc]  # narrower than OfficeScoped

    class Meta:
        verbose_name = _("planned interruption")
        verbose_name_plural = _("planned interruptions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="interruption_ends_after_it_starts",
                condition=Q(ends_at__gt=models.F("starts_at")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_what_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.tell_at = self.starts_at - self.tell_ahead
        fields = kwargs.get("update_fields")
        if fields is not None and {"starts_at", "tell_ahead"} & set(fields):
            kwargs["update_fields"] = {*fields, "tell_at"}
        super().save(*args, **kwargs)

    @property
    def message_key(self) -> str:
        """Names the event told: the first telling, then each revision told again."""
        return f"interruption:{self.pk}" + (f":{self.revision}" if self.revision else "")
