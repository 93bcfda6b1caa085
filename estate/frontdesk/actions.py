"""The only code that writes front-desk records: contacts, referrals and telephone call records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from estate.accounts.people import people_with_role
from estate.accounts.roles import Role
from estate.frontdesk.choices import Channel as ContactChannel
from estate.frontdesk.choices import Outcome
from estate.frontdesk.models import CallRecord, Contact, Referral
from estate.language import guard
from estate.language.choices import Channel as LanguageChannel
from estate.notifications.actions import notify
from estate.notifications.messages import Message
from estate.properties.models import Department, Household, Office, Resident, Unit
from estate.workorders import actions as work_orders
from estate.workorders import photos as order_photos
from estate.workorders.choices import OPEN_STATUSES, Status
from estate.workorders.models import WorkOrder
from estate.workorders.routing import desk_to_tell


def log_contact(
    *,
    office: Office,
    by: Any,
    channel: str,
    kind: str,
    intent: str,
    outcome: str,
    requester: Resident | None = None,
    unit: Unit | None = None,
    caller_name: str = "",
    caller_phone: str = "",
    service_item: Any = None,
    notes: str = "",
    agitated: bool = False,
    received_at: datetime | None = None,
    call: CallRecord | None = None,
    follows_up: WorkOrder | None = None,
) -> Contact:
    """Log one call, visit, letter or online message. An agitated visitor alerts the office head at once."""
    if not intent.strip():
        raise ValidationError({"intent": _("This field is required.")})
    for field, value in (
        ("requester", requester),
        ("unit", unit),
        ("service_item", service_item),
        ("call", call),
    ):
        if value is not None and value.office_id != office.pk:
            raise ValidationError({field: _("This belongs to another office.")})
    if requester is not None and unit is None and requester.household_id:
        unit = requester.household.unit  # type: ignore[union-attr]
    if unit is not None and requester is None and not caller_name.strip():
        requester = unit.main_contact()
    contact = Contact.objects.create(
        office=office,
        channel=channel,
        received_at=received_at or timezone.now(),
        taken_by=by,
        requester=requester,
        unit=unit,
        caller_name=caller_name.strip(),
        caller_phone=caller_phone.strip(),
        kind=kind,
        service_item=service_item,
        intent=intent.strip(),
        notes=notes.strip(),
        outcome=outcome,
        agitated=agitated,
        call=call,
        follows_up=follows_up,
    )
    if agitated:
        where = unit.address if unit else (caller_name or gettext("a visitor"))
        notify(
            office_id=office.pk,
            recipients=people_with_role(office, Role.HEAD),
            kind="agitated_visitor",
            text=Message(
                gettext_lazy(
                    "An agitated visitor (%(who)s) is at the desk and has been taken to the meeting room."
                ),
                {"who": where},
            ),
            link=reverse("frontdesk:contacts"),
            dedup_key=f"agitated:{contact.pk}",
        )
    return contact


def add_contact_to_order(
    order: WorkOrder, *, office: Office, by: Any, contact: dict[str, Any], event_channel: str
) -> tuple[Contact, WorkOrder, None]:
    """Another call about an open order: logged, written on the order's timeline, and its holder
    told, so the order is chased instead of duplicated."""
    if order.office_id != office.pk:
        raise ValidationError({"add_to": _("This order belongs to another office.")})
    if order.status not in OPEN_STATUSES:
        raise ValidationError({"add_to": _("This order is no longer open: open a new one.")})
    with transaction.atomic():
        logged = log_contact(
            office=office,
            by=by,
            **{**contact, "outcome": Outcome.ADDED_TO_ORDER},
            follows_up=order,
        )
        order = work_orders.comment(
            order,
            text=gettext("Another contact from %(who)s: %(intent)s")
            % {"who": logged.who or gettext("the requester"), "intent": logged.intent},
            by=by,
            channel=event_channel,
        )
        notify(
            office_id=office.pk,
            recipients=[order.assignee, order.accountable],
            kind="order_contact",
            text=Message(
                gettext_lazy("%(number)s: the requester called again: %(intent)s"),
                {"number": order.number, "intent": logged.intent[:60]},
            ),
            link=reverse("workorders:detail", args=[order.pk]),
        )
    return logged, order, None


def open_duplicates(
    office: Office, *, unit: Unit | None, kind: str, service_item: Any = None
) -> list[WorkOrder]:
    """The unit's open orders for the same matter (the same service item, or the same kind):
    shown before a new order is opened, so a second call does not open a second order."""
    if unit is None:
        return []
    same = Q(kind=kind)
    if service_item is not None:
        same |= Q(service_item=service_item)
    return list(
        WorkOrder.objects.filter(office=office, unit=unit, status__in=OPEN_STATUSES)
        .filter(same)
        .select_related("assignee", "service_unit")
        .order_by("-opened_at")[:5]
    )


def take_contact(
    *,
    office: Office,
    by: Any,
    contact: dict[str, Any],
    order: dict[str, Any] | None = None,
    referral: dict[str, Any] | None = None,
    event_channel: str,
    add_to: WorkOrder | None = None,
) -> tuple[Contact, WorkOrder | None, Referral | None]:
    """The desk console in one step: the contact, and the order or referral it leads to, all or
    nothing. (The portal uses it too, with ``event_channel="portal"``.) ``add_to``: the call is
    about an open order, and is added to it rather than opening another."""
    if add_to is not None:
        return add_contact_to_order(
            add_to, office=office, by=by, contact=contact, event_channel=event_channel
        )
    with transaction.atomic():
        logged = log_contact(office=office, by=by, **contact)
        opened = None
        referred = None
        if logged.outcome == Outcome.WORK_ORDER:
            if order is None:
                raise ValidationError({"outcome": _("Fill in the work order.")})
            opened = work_orders.open_work_order(
                office=office,
                by=by,
                channel=event_channel,
                kind=logged.kind,
                contact=logged,
                unit=logged.unit,
                requester=logged.requester,
                requester_name=logged.caller_name,
                requester_phone=logged.caller_phone,
                service_item=logged.service_item,
                description=order.get("description") or logged.intent,
                **{key: value for key, value in order.items() if key != "description"},
            )
        elif logged.outcome == Outcome.REFERRED:
            if referral is None:
                raise ValidationError({"outcome": _("Fill in the referral.")})
            referred = refer(office=office, by=by, contact=logged, matter=logged.intent, **referral)
    return logged, opened, referred


def refer(
    *,
    office: Office,
    by: Any,
    department: Department,
    matter: str,
    told_requester: str,
    contact: Contact | None = None,
    work_order: WorkOrder | None = None,
) -> Referral:
    """Refer a matter outside the office's scope to the department that handles it (首問責任制)."""
    errors = {}
    if department.office_id != office.pk:
        errors["department"] = _("This department belongs to another office.")
    if not told_requester.strip():
        errors["told_requester"] = _("Say where the requester was sent.")
    if not matter.strip():
        errors["matter"] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    # What the requester is told passes the forbidden-phrase guard like every reply (R-B3.2).
    guard.enforce(
        office=office, by=by, channel=LanguageChannel.UPDATE, told_requester=told_requester
    )
    return Referral.objects.create(
        office=office,
        department=department,
        contact=contact,
        work_order=work_order,
        matter=matter.strip(),
        told_requester=told_requester.strip(),
        referred_by=by,
        referred_at=timezone.now(),
    )


def confirm_referral(referral: Referral, *, confirmed_by: str, note: str = "") -> Referral:
    """The receiving department confirmed it took the matter over."""
    if not confirmed_by.strip():
        raise ValidationError({"confirmed_by": _("Who at the department confirmed it?")})
    updated = Referral.objects.filter(pk=referral.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(),
        confirmed_by=confirmed_by.strip(),
        confirmation_note=note.strip(),
    )
    referral.refresh_from_db()
    if not updated:
        raise ValidationError({"confirmed_by": _("This referral was already confirmed.")})
    return referral


def record_call(
    *,
    office: Office,
    call_id: str,
    rang_at: datetime,
    ring_seconds: int | None,
    answered: bool,
    caller_phone: str = "",
    extension: str = "",
) -> tuple[CallRecord, bool]:
    """Store what the telephone system reports about one call; the same call id updates, never duplicates."""
    return CallRecord.objects.update_or_create(
        office=office,
        call_id=call_id,
        defaults={
            "rang_at": rang_at,
            "ring_seconds": ring_seconds,
            "answered": answered,
            "caller_phone": caller_phone,
            "extension": extension,
        },
    )


MAX_PHOTOS = 3


def report_online(
    *,
    resident: Resident,
    unit: Unit | None,
    service_item: Any,
    description: str,
    location: str = "",
    photos: Sequence[Any] = (),
    wanted_at: datetime | None = None,
) -> WorkOrder:
    """A resident's own report from the portal: logged as an online contact and opened as a work
    order owed to the desk, which dispatches it (the same time rules apply). Photos are checked
    before anything is saved; all or nothing."""
    office = resident.office
    errors: dict[str, Any] = {}
    if service_item is None or service_item.office_id != office.pk or not service_item.is_active:
        errors["service_item"] = _("Choose what you need from the list.")
    if unit is not None and resident.household_id is not None:
        if not resident_lives_in(resident, unit):
            errors["unit"] = _("You can report only for a home you live in.")
    elif unit is not None and unit.office_id != office.pk:
        errors["unit"] = _("This room belongs to another office.")
    if unit is None and not location.strip():
        errors["location"] = _("Say where it is, or choose your home.")
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("At most %(count)d photos.") % {"count": MAX_PHOTOS}
    for photo in photos:
        problem = order_photos.check_photo(photo)
        if problem:
            errors["photos"] = problem
            break
    if not description.strip():
        errors["description"] = _("Describe what is wrong.")
    if errors:
        raise ValidationError(errors)
    if wanted_at is not None:
        description = _("%(description)s (wanted at %(when)s)") % {
            "description": description.strip(),
            "when": timezone.localtime(wanted_at).strftime("%Y-%m-%d %H:%M"),
        }
    # Concierge help (禮賓) goes straight to its team, at any hour; the rest wait for the desk.
    concierge = service_item.kind == "concierge"
    desk = people_with_role(office, Role.RECEPTIONIST) or people_with_role(office, Role.HEAD)
    with transaction.atomic():
        _contact, order, _referral = take_contact(
            office=office,
            by=resident.user,
            contact={
                "channel": ContactChannel.ONLINE,
                "kind": service_item.kind,
                "intent": description,
                "outcome": Outcome.WORK_ORDER,
                "requester": resident,
                "unit": unit,
                "service_item": service_item,
            },
            order={
                "description": description,
                "location": location,
                "accountable": desk[0] if desk else None,
                "dispatch_now": concierge,
            },
            event_channel="portal",
        )
        assert order is not None
        for photo in photos:
            order_photos.attach_photo(order, upload=photo, by=resident.user, channel="portal")
        if order.status == Status.NEW:
            notify(
                office_id=office.pk,
                recipients=desk_to_tell(office, order.opened_at),
                kind="online_request",
                text=Message(
                    gettext_lazy("Online request %(number)s to dispatch (%(place)s): %(what)s"),
                    {"number": order.number, "place": order.place, "what": description[:60]},
                ),
                link=reverse("workorders:detail", args=[order.pk]),
            )
    return order


def resident_lives_in(resident: Resident, unit: Unit) -> bool:
    return (
        Household.objects.current().filter(unit=unit, residents__user_id=resident.user_id).exists()
    )
