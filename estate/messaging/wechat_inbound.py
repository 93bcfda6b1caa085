"""What WeChat pushes to the account's server address: a person's message to the service
account (or an event), as XML. Parsed without DOCTYPE or entities (defusedxml), so a crafted
body cannot expand or read files; a text message is taken as a reply from that person, once
however often WeChat retries it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.db import transaction
from django.utils import timezone

from estate.messaging import inbound
from estate.messaging.choices import Channel, ConsentSource
from estate.messaging.models import WeChatAccount, WeChatBinding
from estate.messaging.received import first_time
from estate.messaging.wechat_binding import unbind_wechat

MAX_BODY_BYTES = 64 * 1024


class BadPush(ValueError):
    """The body is not a message WeChat would send."""


@dataclass(frozen=True)
class Push:
    to_user: str
    from_user: str  # the sender's openid
    created: datetime
    msg_type: str
    content: str = ""
    msg_id: str = ""
    event: str = ""


def parse_push(body: bytes) -> Push:
    if len(body) > MAX_BODY_BYTES:
        raise BadPush("too long")
    try:
        root = ElementTree.fromstring(body, forbid_dtd=True, forbid_entities=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
        raise BadPush(type(error).__name__) from None
    if root.tag != "xml":
        raise BadPush("not a push")

    def text(name: str) -> str:
        return (root.findtext(name) or "").strip()

    sender, msg_type = text("FromUserName"), text("MsgType")
    if not sender or not msg_type:
        raise BadPush("no sender or type")
    try:
        created = datetime.fromtimestamp(int(text("CreateTime")), tz=UTC)
    except (ValueError, OverflowError, OSError):
        created = timezone.now()
    return Push(
        to_user=text("ToUserName"),
        from_user=sender,
        created=created,
        msg_type=msg_type,
        content=root.findtext("Content") or "",
        msg_id=text("MsgId"),
        event=text("Event"),
    )


def take_push(*, account: WeChatAccount, push: Push) -> bool:
    """Take a text message as the person's reply, and an unfollow as consent withdrawn; True
    when it was taken now (not a repeat, not another kind of push)."""
    if push.msg_type == "event" and push.event == "unsubscribe":
        return _unfollowed(account, push)
    if push.msg_type != "text" or not push.content.strip():
        return False
    # WeChat's advice: a message by its MsgId; without one, by sender and time.
    key = f"{account.app_id}:{push.msg_id or f'{push.from_user}:{int(push.created.timestamp())}'}"
    with transaction.atomic():
        if not first_time(channel=Channel.WECHAT, key=key):
            return False
        inbound.take_reply(
            office=account.office,
            channel=Channel.WECHAT,
            sender=push.from_user,
            text=push.content.strip(),
            at=push.created,
        )
    return True


def _unfollowed(account: WeChatAccount, push: Push) -> bool:
    """The person unfollowed the account: WeChat will refuse every message to them, so the
    binding goes and the channel stops at once (what waits to be sent by it is cancelled)."""
    binding = (
        WeChatBinding.objects.filter(account=account, openid=push.from_user)
        .select_related("resident")
        .first()
    )
    if binding is None:
        return False
    return bool(unbind_wechat(resident=binding.resident, source=ConsentSource.WECHAT))
