"""The only code that writes the knowledge base."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from estate.core import uploads
from estate.knowledge.models import Article, ArticleAttachment, Category
from estate.language import guard
from estate.language.choices import Channel
from estate.properties.models import Office

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def save_article(
    *,
    article: Article | None = None,
    office: Office | None,
    by: Any,
    category: str,
    title: str,
    body: str,
    is_public: bool,
) -> Article:
    """Write or revise an article. A public one may reach requesters: the guard checks it."""
    errors = {}
    if category not in Category.values:
        errors["category"] = _("Choose a category.")
    if not title.strip():
        errors["title"] = _("This field is required.")
    if not body.strip():
        errors["body"] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    if is_public:
        guard.enforce(office=office, by=by, channel=Channel.ARTICLE, title=title, body=body)
    article = article or Article(written_by=by)
    article.office, article.category, article.title = office, category, title.strip()
    article.body, article.is_public = body.strip(), is_public
    article.save()
    return article


def retire_article(article: Article) -> None:
    Article.objects.filter(pk=article.pk).update(is_active=False)


def attach_file(article: Article, *, upload: Any) -> ArticleAttachment:
    """Attach a PDF, a picture or an office document of at most 10 MB, decided by its bytes and
    kept under a generated name (the uploaded one is only shown)."""
    checked = uploads.check(
        upload,
        allowed=uploads.DOCUMENTS,
        field="file",
        label=_("File"),
        refused=_(
            "attach a PDF, a picture (JPEG, PNG, GIF, WebP) or an office document (DOCX, XLSX, PPTX, DOC, XLS)."
        ),
        max_bytes=MAX_ATTACHMENT_BYTES,
        too_big=_("The file is larger than 10 MB."),
    )
    with transaction.atomic():
        attachment = ArticleAttachment(
            article=article,
            name=checked.display_name[:120],
            size=checked.size,
            content_type=checked.content_type,
        )
        attachment.file.save(checked.stored_name, checked.as_file(), save=False)
        attachment.save()
    return attachment
