"""Notices (公告): written at the office, published for a date range to residents and the lobby board."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estate.core.querysets import OfficeScopedQuerySet
from estate.properties.models import OfficeScoped


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
