"""The only code that writes the knowledge base."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from estate.knowledge.models import Article, ArticleAttachment, Category
from estate.language import guard
from estate.language.choices import Channel
from estate.properties.models import Office

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What the first bytes of an accepted file look like (checked, not trusted from the name).
_SIGNATURES = (
    (b"%PDF-", "PDF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"PK\x03\x04", "Office document (DOCX, XLSX)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office 97–2003 document (DOC, XLS)"),
)


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
    """Attach a PDF, a picture or an office document of at most 10 MB."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(signature) for signature, _kind in _SIGNATURES):
        raise ValidationError(
            {"file": _("Attach a PDF, a JPEG or PNG picture, or an office document.")}
        )
    with transaction.atomic():
        attachment = ArticleAttachment(article=article, name=upload.name[:120], size=upload.size)
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    return attachment
