"""The A4 lobby notice (大堂公告欄書面通知), Chinese font embedded."""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from estate.core.pdf import a4, paragraph, styles
from estate.notices.models import Notice


def notice_pdf(notice: Notice) -> bytes:
    base = styles()
    title = ParagraphStyle(
        "notice-title", parent=base["title"], fontSize=26, leading=34, spaceAfter=12
    )
    body = ParagraphStyle(
        "notice-body", parent=base["body"], fontSize=14, leading=24, firstLineIndent=28
    )
    right = ParagraphStyle("notice-sign", parent=base["body"], fontSize=14, leading=22, alignment=2)
    story = [
        Paragraph(_("Notice"), title),
        paragraph(notice.title, "heading"),
        Spacer(1, 6 * mm),
    ]
    story += [paragraph(line, body) for line in notice.body.splitlines() if line.strip()]
    story += [
        Spacer(1, 16 * mm),
        paragraph(notice.office.name, right),
        Paragraph(notice.starts_on.strftime("%Y-%m-%d"), right),
    ]
    return a4(story, title=notice.title, margin=25, top=30, author=notice.office.name)
