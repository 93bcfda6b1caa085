"""The A4 lobby notices (大堂公告欄書面通知): a notice, a planned interruption (停水停電通知);
Chinese font embedded."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from estate.core.pdf import a4, paragraph, styles
from estate.notices.interruptions import where
from estate.notices.models import Interruption, Notice


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


def interruption_pdf(interruption: Interruption) -> bytes:
    """The lobby notice of a planned interruption: what, where, from when to when in the
    office's time, the words for residents, the office and the day it was written."""
    office = interruption.office
    zone = ZoneInfo(office.timezone)
    base = styles()
    title = ParagraphStyle(
        "interruption-title", parent=base["title"], fontSize=26, leading=34, spaceAfter=12
    )
    line = ParagraphStyle("interruption-line", parent=base["body"], fontSize=16, leading=28)
    body = ParagraphStyle(
        "interruption-body", parent=base["body"], fontSize=14, leading=24, firstLineIndent=28
    )
    right = ParagraphStyle(
        "interruption-sign", parent=base["body"], fontSize=14, leading=22, alignment=2
    )
    heading = _("Planned %(what)s interruption") % {"what": interruption.get_what_display()}
    story = [
        Paragraph(_("Notice"), title),
        paragraph(heading, "heading"),
        Spacer(1, 6 * mm),
        paragraph(_("Where: %(where)s") % {"where": where(interruption)}, line),
        paragraph(
            _("From %(starts)s to %(ends)s")
            % {
                "starts": interruption.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                "ends": interruption.ends_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            },
            line,
        ),
        Spacer(1, 6 * mm),
    ]
    story += [paragraph(text, body) for text in interruption.text.splitlines() if text.strip()]
    story += [
        Spacer(1, 16 * mm),
        paragraph(office.name, right),
        Paragraph(interruption.written_at.astimezone(zone).strftime("%Y-%m-%d"), right),
    ]
    return a4(story, title=heading, margin=25, top=30, author=office.name)
