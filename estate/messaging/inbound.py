"""Messages that come in by themselves, by text, WeChat or email (回音): a reply to something
estate told the person is a contact on the order it answers, written on its timeline and
brought to its holder; anything else is a new request, opened as an online order the desk
dispatches, and acknowledged to the sender on the channel they wrote on."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from estate.frontdesk.choices import Outcome
from estate.frontdesk.models import Contact
from estate.messaging.choices import Channel
from estate.messaging.models import Message, WeChatBinding
from estate.messaging.sms import mainland_mobile
from estate.properties.models import Household, Office, Resident
from estate.workorders.choices import OPEN_STATUSES, Kind, Status
from estate.workorders.models import WorkOrder

# A reply answers what estate told the person within this long.
REPLY_WINDOW = timedelta(days=14)
_ORDER_NUMBER = re.compile(r"\b[A-Z][A-Z0-9]{1,7}-[0-9][0-9A-Z-]{3,}\b")


def sender_resident(office: Office, channel: str, sender: str) -> Resident | None:
    """The resident on file with this number, WeChat account or address."""
    residents = Resident.objects.filter(office=office)
    if channel == Channel.SMS:
        number = mainland_mobile(sender) or sender
        return (
            residents.filter(Q(phone=number) | Q(phone=f"+86{number}") | Q(phone_alt=number))
            .order_by("-is_primary", "id")
            .first()
        )
    if channel == Channel.WECHAT:
        binding = WeChatBinding.objects.filter(office=office, openid=sender).first()
        return binding.resident if binding else None
    return residents.filter(email__iexact=sender.strip()).order_by("id").first()


def _recipient_key(resident: Resident | None, channel: str, sender: str) -> str:
    if resident is not None:
        return f"r{resident.pk}"
    if channel == Channel.SMS:
        return f"p{mainland_mobile(sender) or sender}"
    return f"e{sender.lower()}"


def answered_order(
    office: Office, *, resident: Resident | None, channel: str, sender: str, text: str, at: datetime
) -> WorkOrder | None:
    """The order the message answers: the one whose number it names, else the one estate last
    told this person of, within two weeks."""
    told = Message.objects.filter(
        office=office,
        recipient_key=_recipient_key(resident, channel, sender),
        work_order__isnull=False,
        created_at__gte=at - REPLY_WINDOW,
    )
    numbers = _ORDER_NUMBER.findall(text.upper())
    if numbers:
        named = WorkOrder.objects.filter(office=office, number__in=numbers)
        if resident is not None:
            named = named.filter(Q(requester=resident) | Q(messages__in=told)).distinct()
        else:
            named = named.filter(messages__in=told).distinct()
        found = named.order_by("-opened_at").first()
        if found is not None:
            return found
    latest = told.order_by("-created_at", "-id").select_related("work_order").first()
    return latest.work_order if latest else None


def take_reply(
    *,
    office: Office,
    channel: str,
    sender: str,
    text: str,
    at: datetime,
    subject: str = "",
    attachments: Sequence[Any] = (),
    about: WorkOrder | None = None,
) -> Contact:
    """Log a message that came in by ``channel`` from ``sender`` (a phone number, an openid, an
    email address); ``about``: the order it answers when the channel says so (an email's
    In-Reply-To)."""
    from estate.frontdesk.actions import add_contact_to_order, log_contact
    from estate.workorders import actions as work_orders
    from estate.workorders import photos

    words = "\n".join(part for part in (subject.strip(), text.strip()) if part) or gettext(
        "(no text)"
    )
    resident = sender_resident(office, channel, sender)
    order = about or answered_order(
        office, resident=resident, channel=channel, sender=sender, text=words, at=at
    )
    unit = _home(resident)
    contact: dict[str, Any] = {
        "channel": channel,
        "kind": order.kind if order else Kind.OTHER,
        "intent": words,
        "requester": resident,
        "unit": order.unit if order else unit,
        "caller_phone": (mainland_mobile(sender) or "") if channel == Channel.SMS else "",
        "caller_name": "" if resident else sender[:60] if channel == Channel.EMAIL else "",
        "received_at": at,
    }
    with transaction.atomic():
        if order is not None and order.status in OPEN_STATUSES | {Status.COMPLETED}:
            if order.status == Status.COMPLETED:
                logged = log_contact(
                    office=office,
                    by=None,
                    **contact,
                    outcome=Outcome.ADDED_TO_ORDER,
                    follows_up=order,
                )
                work_orders.comment(
                    order,
                    text=gettext("The requester wrote back: %(text)s") % {"text": words},
                    by=None,
                    channel=channel,
                )
                _tell_holder(order, words)
            else:
                logged, order, _none = add_contact_to_order(
                    order, office=office, by=None, contact=contact, event_channel=channel
                )
        elif order is not None:
            # The order is closed: the words are kept on it and the desk decides what to do.
            logged = log_contact(
                office=office, by=None, **contact, outcome=Outcome.ADDED_TO_ORDER, follows_up=order
            )
            work_orders.comment(
                order,
                text=gettext("The requester wrote back after it closed: %(text)s")
                % {"text": words},
                by=None,
                channel=channel,
            )
            _tell_holder(order, words)
        else:
            logged, order = _new_request(
                office, resident=resident, channel=channel, sender=sender, words=words,
                contact=contact,
            )  # fmt: skip
        for upload in attachments:
            photos.attach_file(order, upload=upload, by=None, channel=channel)
    return logged


def _home(resident: Resident | None) -> Any:
    if resident is None or resident.household_id is None:
        return None
    household = Household.objects.filter(pk=resident.household_id).select_related("unit").first()
    return household.unit if household else None


def _tell_holder(order: WorkOrder, words: str) -> None:
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext_lazy

    from estate.notifications.actions import notify
    from estate.notifications.messages import Message as Words
    from estate.workorders.routing import desk_to_tell

    people = [order.assignee, order.accountable] if order.status in OPEN_STATUSES else []
    notify(
        office_id=order.office_id,
        recipients=[p for p in people if p] or desk_to_tell(order.office, timezone.now()),
        kind="order_contact",
        text=Words(
            gettext_lazy("%(number)s: the requester wrote back: %(text)s"),
            {"number": order.number, "text": words[:60]},
        ),
        link=reverse("workorders:detail", args=[order.pk]),
    )


def _new_request(
    office: Office,
    *,
    resident: Resident | None,
    channel: str,
    sender: str,
    words: str,
    contact: dict[str, Any],
) -> tuple[Contact, WorkOrder]:
    """A new request: an online order owed to the desk (the 3-minute acknowledgement and the
    desk's 10 minutes apply), the desk on duty told."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext_lazy

    from estate.accounts.people import people_with_role
    from estate.accounts.roles import Role
    from estate.frontdesk.actions import take_contact
    from estate.notifications.actions import notify
    from estate.notifications.messages import Message as Words
    from estate.workorders.routing import desk_to_tell

    desk = people_with_role(office, Role.RECEPTIONIST) or people_with_role(office, Role.HEAD)
    unit = contact["unit"]
    logged, order, _referral = take_contact(
        office=office,
        by=None,
        contact={**contact, "outcome": Outcome.WORK_ORDER},
        order={
            "description": words,
            "location": "" if unit else gettext("Not given yet: ask the requester"),
            "accountable": desk[0] if desk else None,
            "dispatch_now": False,
        },
        event_channel=channel,
    )
    assert order is not None
    notify(
        office_id=office.pk,
        recipients=desk_to_tell(office, order.opened_at or timezone.now()),
        kind="online_request",
        text=Words(
            gettext_lazy("Online request %(number)s to dispatch (%(place)s): %(what)s"),
            {"number": order.number, "place": order.place, "what": words[:60]},
        ),
        link=reverse("workorders:detail", args=[order.pk]),
    )
    return logged, order
