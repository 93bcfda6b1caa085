"""Email that comes in: read from real RFC 822 bytes (a Chinese subject, photos and PDFs kept,
anything else named and left out), tied to the office by the estate message it answers, taken
once by the webhook however often it is posted, and read from the mailbox by the poller."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from django.core.files import File
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from estate.messaging import inbound
from estate.messaging.inbound_email import (
    BadEmail,
    checked_attachments,
    html_as_text,
    parse_email,
    take_email,
    without_quote,
)
from estate.messaging.models import Delivery, Message
from tests.files import PDF, PNG, SCRIPT

SENT = datetime(2026, 10, 9, 8, 30, tzinfo=UTC)


def email(
    *,
    subject="回覆：報修 BSW-2026-000123 水龍頭",
    body="師傅明天上午來可以，謝謝。\n\n陳美玲",
    sender="陳美玲 <chen@example.cn>",
    to="desk@bsw.example.cn",
    attachments=(("漏水.png", "image", "png", PNG), ("報價.pdf", "application", "pdf", PDF)),
    reply_to_delivery=None,
    message_id="<reply-1@example.cn>",
    html=None,
    charset="utf-8",
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(SENT)
    if message_id:
        message["Message-ID"] = message_id
    if reply_to_delivery is not None:
        estate_id = f"<estate-message-{reply_to_delivery}@estate>"
        message["In-Reply-To"] = estate_id
        message["References"] = f"<older@example.cn> {estate_id}"
    if body is not None:
        message.set_content(body, charset=charset)
    if html is not None:
        if body is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    for name, maintype, subtype, data in attachments:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


BAD = ("說明.html", "text", "html", b"<html><script>alert(1)</script></html>")
FAKE_PDF = ("發票.pdf", "application", "pdf", SCRIPT)


# -- reading ------------------------------------------------------------------------------


def test_a_message_is_read_from_its_bytes():
    mail = parse_email(email())
    assert mail.sender == "chen@example.cn"
    assert mail.subject == "回覆：報修 BSW-2026-000123 水龍頭"
    assert mail.text == "師傅明天上午來可以，謝謝。\n\n陳美玲"
    assert mail.at == SENT
    assert mail.message_id == "<reply-1@example.cn>"
    assert mail.to == ("desk@bsw.example.cn",)
    assert [(a.name, a.content_type) for a in mail.attachments] == [
        ("漏水.png", "image/png"),
        ("報價.pdf", "application/pdf"),
    ]
    assert mail.attachments[1].content == PDF


def test_photos_and_pdfs_are_kept_and_anything_else_is_named_with_why(db):
    raw = email(
        attachments=(
            ("漏水.png", "image", "png", PNG),
            ("報價.pdf", "application", "pdf", PDF),
            BAD,
            FAKE_PDF,
            ("相片.pdf", "image", "png", PNG),  # a picture named as a PDF
        )
    )
    kept, dropped = checked_attachments(parse_email(raw))
    assert [f.name for f in kept] == ["漏水.png", "報價.pdf"]
    assert all(isinstance(f, File) for f in kept)
    assert kept[0].content_type == "image/png"
    assert kept[1].read() == PDF
    assert len(dropped) == 3
    assert dropped[0].startswith("說明.html")
    assert dropped[1].startswith("發票.pdf")
    assert dropped[2].startswith("相片.pdf")


def test_an_html_only_message_is_read_as_text():
    raw = email(
        body=None,
        html="<html><head><style>p{color:red}</style></head><body><p>燈不亮了&nbsp;!</p>"
        "<div>三樓走廊</div><script>x()</script></body></html>",
        attachments=(),
    )
    assert parse_email(raw).text == "燈不亮了 !\n三樓走廊"


def test_the_plain_text_is_preferred_to_the_html():
    raw = email(body="純文字", html="<p>HTML</p>", attachments=())
    assert parse_email(raw).text == "純文字"


def test_mail_marked_gb2312_with_gbk_characters_is_read():
    message = EmailMessage()
    message["From"] = "chen@example.cn"
    message["Subject"] = "報修"
    message.set_content("喆".encode("gbk") + "，門鎖壞了".encode("gbk"), "text", "plain")
    del message["Content-Type"]
    message["Content-Type"] = 'text/plain; charset="gb2312"'
    assert parse_email(message.as_bytes()).text == "喆，門鎖壞了"


@pytest.mark.parametrize(
    "quoted",
    [
        "On Fri, 9 Oct 2026 at 08:00, estate <desk@bsw.example.cn> wrote:\n> 您的報修已派工",
        "在 2026年10月9日 08:00，管理處 写道：\n> 您的報修已派工",
        "------------------ 原始邮件 ------------------\n发件人: desk@bsw.example.cn\n您的報修已派工",
        "> 您的報修已派工\n> 請確認",
    ],
)
def test_the_quoted_message_is_left_out(quoted):
    assert without_quote(f"好的，明天見。\n\n{quoted}") == "好的，明天見。"


def test_a_message_that_is_all_quote_keeps_its_words():
    assert without_quote("> 只有引用") == "> 只有引用"


def test_html_as_text_keeps_line_breaks():
    assert html_as_text("一<br>二<p>三</p>") == "一\n二\n三"


def test_a_message_without_a_sender_is_refused():
    with pytest.raises(BadEmail):
        parse_email(b"Subject: nobody\r\n\r\nhello")
    with pytest.raises(BadEmail):
        parse_email(b"")


def test_a_date_in_the_future_or_missing_is_now():
    now = datetime(2026, 10, 1, tzinfo=UTC)
    assert parse_email(email(), now=now).at == now
    raw = email().replace(b"Date:", b"X-Old-Date:")
    assert parse_email(raw, now=now).at == now


# -- taking -------------------------------------------------------------------------------


@pytest.fixture
def taken(monkeypatch):
    calls: list[dict] = []
    monkeypatch.setattr(inbound, "take_reply", lambda **kwargs: calls.append(kwargs))
    return calls


def estate_email(office, *, address="chen@example.cn"):
    message = Message.objects.create(
        office=office,
        kind="reply",
        key="test:reply",
        recipient_key="chen",
        email=address,
        language="zh-hant",
        text="您的報修已有回覆",
        created_at=timezone.now(),
    )
    return Delivery.objects.create(message=message, channel="email", address=address)


def test_a_reply_is_taken_for_the_office_of_the_message_it_answers(
    bsw, other_office, taken, settings
):
    settings.INBOUND_EMAIL_OFFICE = "BSW"
    answered = estate_email(other_office)
    result = take_email(raw=email(reply_to_delivery=answered.pk, attachments=(BAD,)))
    assert result.delivery == answered
    (call,) = taken
    assert call["office"] == other_office
    assert call["channel"] == "email"
    assert call["sender"] == "chen@example.cn"
    assert call["subject"] == "回覆：報修 BSW-2026-000123 水龍頭"
    assert call["at"] == SENT
    assert call["attachments"] == []
    assert call["text"].startswith(
        "師傅明天上午來可以，謝謝。\n\n陳美玲\n\n未保留的附件：\n說明.html"
    )


def test_a_reference_from_another_sender_does_not_choose_the_office(
    bsw, other_office, taken, settings
):
    settings.INBOUND_EMAIL_OFFICE = "BSW"
    answered = estate_email(other_office)
    result = take_email(raw=email(reply_to_delivery=answered.pk, sender="someone@else.cn"))
    assert result.delivery is None
    assert taken[0]["office"] == bsw


def test_a_new_message_goes_to_the_only_office(bsw, taken):
    assert take_email(raw=email()).office == bsw
    assert len(taken[0]["attachments"]) == 2


def hook(token="inbound-secret"):
    return reverse("hooks:email_inbound") + (f"?token={token}" if token else "")


@pytest.fixture
def webhook(settings):
    settings.INBOUND_EMAIL_TOKEN = "inbound-secret"


def test_the_webhook_takes_a_posted_message_once(client, bsw, taken, webhook):
    raw = email(attachments=(("漏水.png", "image", "png", PNG), BAD))
    for _try in range(3):
        answer = client.post(hook(), raw, content_type="message/rfc822")
        assert answer.status_code == 200
    assert len(taken) == 1
    assert answer.json() == {
        "taken": False,
        "office": "BSW",
        "kept": ["漏水.png"],
        "dropped": [answer.json()["dropped"][0]],
    }
    (call,) = taken
    assert call["office"] == bsw
    assert [f.name for f in call["attachments"]] == ["漏水.png"]
    assert "說明.html" in call["text"]


def test_the_webhook_takes_a_form_field_too(client, bsw, taken, webhook):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("message.eml", email(), "message/rfc822")
    answer = client.post(hook(), {"message": upload})
    assert answer.json()["taken"] is True
    assert taken[0]["sender"] == "chen@example.cn"


def test_the_webhook_wants_its_secret(client, bsw, taken, webhook):
    assert client.post(hook(None), email(), content_type="message/rfc822").status_code == 403
    assert client.post(hook("guess"), email(), content_type="message/rfc822").status_code == 403
    by_header = client.post(
        hook(None),
        email(),
        content_type="message/rfc822",
        headers={"Authorization": "Bearer inbound-secret"},
    )
    assert by_header.status_code == 200
    assert len(taken) == 1


def test_the_webhook_is_off_without_a_secret(client, bsw, taken, settings):
    settings.INBOUND_EMAIL_TOKEN = ""
    assert client.post(hook(""), email(), content_type="message/rfc822").status_code == 404


def test_the_webhook_says_what_it_cannot_take(client, bsw, other_office, taken, webhook):
    nobody = client.post(hook(), b"Subject: x\r\n\r\nhi", content_type="message/rfc822")
    assert nobody.status_code == 400
    lost = client.post(hook(), email(), content_type="message/rfc822")
    assert lost.status_code == 422  # two offices, none set for new messages
    assert taken == []


# -- the mailbox ---------------------------------------------------------------------------


def test_the_poller_takes_each_unseen_message_and_marks_it_seen(bsw, taken, imap_stub):
    first = imap_stub.deliver(email(message_id="<m1@example.cn>"))
    old = imap_stub.deliver(email(message_id="<m0@example.cn>"), seen=True)
    refused = imap_stub.deliver(b"Subject: no sender\r\n\r\nhello")
    out = io.StringIO()
    call_command("poll_mailbox", stdout=out)
    assert "taken 1" in out.getvalue()
    assert "refused 1" in out.getvalue()
    assert len(taken) == 1
    assert taken[0]["subject"] == "回覆：報修 BSW-2026-000123 水龍頭"
    assert len(taken[0]["attachments"]) == 2
    assert all("\\Seen" in imap_stub.messages[uid].flags for uid in (first, old, refused))
    assert not any(c.startswith("EXPUNGE") for c in imap_stub.commands)
    assert any("BODY.PEEK[]" in c for c in imap_stub.commands)

    again = imap_stub.deliver(email(message_id="<m1@example.cn>"))  # the same message again
    call_command("poll_mailbox", stdout=io.StringIO())
    assert len(taken) == 1
    assert "\\Seen" in imap_stub.messages[again].flags


def test_the_poller_leaves_unseen_what_no_office_takes(bsw, other_office, taken, imap_stub):
    uid = imap_stub.deliver(email())
    out = io.StringIO()
    call_command("poll_mailbox", stdout=out)
    assert "left unseen 1" in out.getvalue()
    assert "\\Seen" not in imap_stub.messages[uid].flags


def test_the_poller_needs_a_mailbox(settings):
    from django.core.management.base import CommandError

    settings.IMAP_HOST = ""
    with pytest.raises(CommandError, match="IMAP_HOST"):
        call_command("poll_mailbox", stdout=io.StringIO())
