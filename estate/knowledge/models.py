"""The staff knowledge base (R-A1.2): company information, procedures, regulations, fees and
industry news, searchable in either script; public articles can go with a reply or a handout."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from estate.core.querysets import SharedOrOfficeQuerySet
from estate.properties.models import Office


class Category(models.TextChoices):
    COMPANY = "company", _("Company information")
    PROCEDURE = "procedure", _("Procedures")
    REGULATION = "regulation", _("Regulations")
    FEES = "fees", _("Fees")
    NEWS = "news", _("Industry news")


class Article(models.Model):
    """An article of the knowledge base (知識庫): for one office, or (no office) for the whole company."""

    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("office"),
        help_text=_("Empty: for the whole company."),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    is_public = models.BooleanField(
        _("may be given to requesters"),
        default=False,
        help_text=_("Public articles can go with a reply or a one-time-notification handout."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("written by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SharedOrOfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["category", "title", "id"]

    def __str__(self) -> str:
        return self.title


class ArticleAttachment(models.Model):
    """A file that goes with an article (a regulation as PDF, a price list as a spreadsheet)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="knowledge/%Y/%m/")
    name = models.CharField(_("name"), max_length=120)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # Decided from the bytes when uploaded; empty for files kept before that (served as downloads).
    content_type = models.CharField(_("content type"), max_length=100, blank=True, default="")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["article_id", "id"]

    def __str__(self) -> str:
        return self.name


def public_articles(office: object) -> models.QuerySet[Article]:
    """Articles that may go to requesters of ``office``: its own public ones and the company's."""
    return Article.objects.for_office(office).filter(is_public=True, is_active=True)
