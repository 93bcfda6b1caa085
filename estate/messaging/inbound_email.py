"""Email that comes in, by the webhook or the mailbox poller: a reply to one of estate's
messages, or a new request. One function reads the raw message (RFC 822) and hands it to
``take_reply``: its sender, subject, words (the plain text, else the HTML as text, without the
quoted message it answers), its date, and the attachments estate keeps (photos, PDF and Office
documents, checked by their bytes like any upload); those it does not keep are named at the
end of the words, with why.

Estate's message emails carry the Message-ID ``<estate-message-<delivery>@estate>``; a reply
names it in In-Reply-To or References, which tells the delivery, its message and so the office
— when the reply comes from the address the message went to. Otherwise the office is the one
named by ``INBOUND_EMAIL_OFFICE``, else the only office. A message is taken once, by its
Message-ID (or, without one, its bytes), however often it is posted."""

from __future__ import annotations

import hashlib
import html
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from estate.core import uploads
from estate.messaging import inbound
from estate.messaging.choices import Channel
from estate.messaging.models import Delivery
from estate.messaging.received import first_time
from estate.properties.models import Office

MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ESTATE_MESSAGE_ID = re.compile(r"<estate-message-(\d+)@estate>", re.IGNORECASE)
_MESSAGE_IDS = re.compile(r"<[^<>\s]+>")
# Where a client starts quoting the message answered (Outlook, Gmail, Apple Mail, QQ, Foxmail).
_QUOTE_STARTS = re.compile(
    r"^(?:-{2,}\s*(?:Original Message|原始郵件|原始邮件|回覆郵件|回复邮件)\s*-{2,}"
    r"|_{10,}"
    r"|On\b.{0,300}\bwrote:"
    r"|在.{0,300}(?:写道|寫道)[:：]"
    r"|(?:发件人|寄件者|From)[:：]\s.+@.+)\s*$",
    re.IGNORECASE,
)
_GB = {"gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80"}


class BadEmail(ValueError):
    """Not a message estate can take (no sender, not RFC 822); the reason is for the sender's
    system, in English."""


class NoOffice(LookupError):
    """The message is no reply to estate's and no office is set for new messages."""


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class InboundEmail:
    sender: str  # the address alone, in lower case
    subject: str
    text: str
    at: datetime
    message_id: str = ""
    references: tuple[str, ...] = ()  # In-Reply-To first, then References, newest first
    to: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()


@dataclass
class Taken:
    taken: bool  # False: taken before (a repeat)
    office: Office
    delivery: Delivery | None = None
    kept: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


# -- reading -------------------------------------------------------------------------------


def parse_email(raw: bytes, *, now: datetime | None = None) -> InboundEmail:
    """The parts of an RFC 822 message estate uses; ``BadEmail`` without a sender."""
    now = now or timezone.now()
    if not raw.strip():
        raise BadEmail("empty message")
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    sender = _first_address(message, "From") or _first_address(message, "Sender")
    if not sender:
        raise BadEmail("the message has no sender address (From)")
    body = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        text = _decoded(body)
        if body.get_content_subtype() == "html":
            text = html_as_text(text)
    attachments = tuple(_attachments(message, body))
    return InboundEmail(
        sender=sender,
        subject=" ".join(_header(message, "Subject").split()),
        text=without_quote(text),
        at=_date(message, now=now),
        message_id=_header(message, "Message-ID").strip(),
        references=_references(message),
        to=tuple(_addresses(message, "To") + _addresses(message, "Cc")),
        attachments=attachments,
    )


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a header the parser cannot read at all
        return ""
    return str(value) if value is not None else ""


def _addresses(message: EmailMessage, name: str) -> list[str]:
    try:
        header = message.get(name)
        found = getattr(header, "addresses", ()) if header is not None else ()
    except (ValueError, IndexError, TypeError):
        return []
    return [a.addr_spec.lower() for a in found if a.addr_spec and "@" in a.addr_spec]


def _first_address(message: EmailMessage, name: str) -> str:
    found = _addresses(message, name)
    return found[0] if found else ""


def _date(message: EmailMessage, *, now: datetime) -> datetime:
    try:
        header = message.get("Date")
        when = getattr(header, "datetime", None) if header is not None else None
    except (ValueError, IndexError, TypeError):
        when = None
    if not isinstance(when, datetime):
        return now
    if when.tzinfo is None:  # "-0000": the time is UTC, the place unknown
        when = when.replace(tzinfo=UTC)
    return min(when, now)  # a sender's clock ahead of ours does not date a reply in the future


def _references(message: EmailMessage) -> tuple[str, ...]:
    replying = _MESSAGE_IDS.findall(_header(message, "In-Reply-To"))
    chain = list(reversed(_MESSAGE_IDS.findall(_header(message, "References"))))
    return tuple(dict.fromkeys(replying + chain))


def _decoded(part: Any) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = (part.get_content_charset() or "utf-8").lower()
    if charset in _GB:  # mail marked GB2312 often holds GBK characters: GB18030 reads them all
        charset = "gb18030"
    try:
        return payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return payload.decode("utf-8", errors="replace")


def html_as_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1\s*>", " ", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</?(?:p|div|li|tr|h[1-6])\b[^>]*>", "\n", markup)
    text = html.unescape(strip_tags(markup)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{2,}", "\n", "\n".join(lines)).strip()


def without_quote(text: str) -> str:
    """The words of the reply, without the message it quotes (when something is left)."""
    lines = text.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        if _QUOTE_STARTS.match(line.strip()):
            lines = lines[:index]
            break
    while lines and (lines[-1].startswith(">") or not lines[-1].strip()):
        lines.pop()
    kept = "\n".join(lines).strip()
    return kept or text.strip()


def _attachments(message: EmailMessage, body: Any) -> list[Attachment]:
    found = []
    for part in message.walk():
        if part.is_multipart() or part is body:
            continue
        name = part.get_filename() or ""
        disposition = part.get_content_disposition()
        if not name and disposition != "attachment":
            if part.get_content_maintype() == "text":
                continue  # the other form of the body (the HTML beside the plain text)
            if disposition != "inline" and part.get_content_maintype() != "image":
                continue
        content_type = part.get_content_type()
        if not name:
            name = "attachment" + (mimetypes.guess_extension(content_type) or "")
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        found.append(Attachment(name=name, content_type=content_type, content=content))
    return found


# -- deciding and taking ---------------------------------------------------------------------


def replied_delivery(mail: InboundEmail) -> Delivery | None:
    """The email delivery the message answers, when it comes from the address it went to."""
    for reference in mail.references:
        found = ESTATE_MESSAGE_ID.fullmatch(reference)
        if not found:
            continue
        delivery = (
            Delivery.objects.select_related("message__office", "message__work_order")
            .filter(pk=int(found.group(1)), channel=Channel.EMAIL)
            .first()
        )
        if delivery is not None and mail.sender in {
            delivery.address.lower(),
            (delivery.message.email or "").lower(),
        }:
            return delivery
    return None


def office_for(mail: InboundEmail, delivery: Delivery | None) -> Office:
    if delivery is not None:
        return delivery.message.office
    if settings.INBOUND_EMAIL_OFFICE:
        named = Office.objects.filter(code=settings.INBOUND_EMAIL_OFFICE).first()
        if named is None:
            raise NoOffice(f"INBOUND_EMAIL_OFFICE names no office: {settings.INBOUND_EMAIL_OFFICE}")
        return named
    offices = list(Office.objects.order_by("pk")[:2])
    if len(offices) != 1:
        raise NoOffice("not a reply to estate's messages, and INBOUND_EMAIL_OFFICE is not set")
    return offices[0]


def checked_attachments(mail: InboundEmail) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The attachments estate keeps, as files (checked, pictures re-encoded), and why each other
    one is not kept."""
    kept: list[SimpleUploadedFile] = []
    dropped: list[str] = []
    for number, attachment in enumerate(mail.attachments):
        if number >= MAX_ATTACHMENTS:
            dropped.append(
                gettext("%(name)s: at most %(count)d attachments are kept.")
                % {"name": attachment.name, "count": MAX_ATTACHMENTS}
            )
            continue
        upload = SimpleUploadedFile(attachment.name, attachment.content, attachment.content_type)
        try:
            checked = uploads.check(
                upload,
                allowed=uploads.DOCUMENTS,
                field="attachments",
                label=attachment.name,
                refused=_("only photos, PDF and Office documents are kept."),
                max_bytes=MAX_ATTACHMENT_BYTES,
                too_big=_("%(name)s: larger than 10 MB.") % {"name": attachment.name},
            )
        except ValidationError as refused:
            dropped.append(" ".join(refused.messages))
            continue
        kept.append(SimpleUploadedFile(checked.display_name, checked.content, checked.content_type))
    return kept, dropped


def take_email(*, raw: bytes, now: datetime | None = None) -> Taken:
    """Read ``raw`` and take it as a reply (``BadEmail``, ``NoOffice``)."""
    with override(settings.LANGUAGE_CODE):
        mail = parse_email(raw, now=now)
        delivery = replied_delivery(mail)
        office = office_for(mail, delivery)
        files, dropped = checked_attachments(mail)
        text = mail.text
        if dropped:
            note = gettext("Attachments not kept:")
            text = f"{text}\n\n{note}\n" + "\n".join(dropped)
    key = mail.message_id or "sha256:" + hashlib.sha256(raw).hexdigest()
    taken = Taken(
        taken=False,
        office=office,
        delivery=delivery,
        kept=[f.name or "" for f in files],
        dropped=dropped,
    )
    with transaction.atomic():
        if not first_time(channel=Channel.EMAIL, key=key):
            return taken
        inbound.take_reply(
            office=office,
            channel=Channel.EMAIL,
            sender=mail.sender,
            text=text.strip(),
            at=mail.at,
            subject=mail.subject,
            attachments=files,
            about=delivery.message.work_order if delivery is not None else None,
        )
    taken.taken = True
    return taken
