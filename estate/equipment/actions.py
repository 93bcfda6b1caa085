"""The only code that writes the equipment register (設備台賬): add, edit, retire, a legal
inspection done, a fault reported on a piece, and the XLSX/CSV import. Keyword-only, each in
one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from estate.accounts.people import people_with_role
from estate.accounts.roles import Role
from estate.equipment.models import Equipment
from estate.equipment.register import EquipmentRow, parse_register
from estate.notifications.actions import notify
from estate.notifications.messages import Message
from estate.properties.models import Building, Office
from estate.workorders.choices import Kind, Status
from estate.workorders.models import WorkOrder

# What a form may set on a piece; the office, the label and the sort key are the register's own.
EDITABLE = (
    "code",
    "name",
    "kind",
    "building",
    "floor",
    "place",
    "maker",
    "model",
    "serial",
    "installed_on",
    "warranty_until",
    "service_life_years",
    "contractor",
    "contractor_phone",
    "inspection_every_months",
    "last_inspected_on",
    "next_inspection_on",
    "notes",
)


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months; the 31st falls back to the month's last day (Jan 31 → Feb 28)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def _check(office: Office, values: dict[str, Any], piece: Equipment | None = None) -> None:
    errors: dict[str, Any] = {}
    building = values.get("building")
    if building is not None and building.office_id != office.pk:
        errors["building"] = _("This building belongs to another office.")
    code = (values.get("code") or "").strip()
    if not code:
        errors["code"] = _("This field is required.")
    else:
        same = Equipment.objects.filter(office=office, code=code)
        if piece is not None:
            same = same.exclude(pk=piece.pk)
        if same.exists():
            errors["code"] = _("Another piece of this office already has this number.")
    if not (values.get("name") or "").strip():
        errors["name"] = _("This field is required.")
    installed, warranty = values.get("installed_on"), values.get("warranty_until")
    if installed and warranty and warranty < installed:
        errors["warranty_until"] = _("The warranty cannot end before the installation.")
    last, upcoming = values.get("last_inspected_on"), values.get("next_inspection_on")
    if last and upcoming and upcoming < last:
        errors["next_inspection_on"] = _(
            "The next inspection cannot be before the last inspection."
        )
    if errors:
        raise ValidationError(errors)


def _with_next_inspection(values: dict[str, Any]) -> dict[str, Any]:
    """A last inspection and an interval give the next one, unless the next one is written."""
    last, every = values.get("last_inspected_on"), values.get("inspection_every_months")
    if last and every and not values.get("next_inspection_on"):
        values = {**values, "next_inspection_on": add_months(last, every)}
    return values


def add_equipment(*, office: Office, by: Any, **values: Any) -> Equipment:
    """Put a piece on the office's register."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not fields of the register: {sorted(unknown)}")
    values = _with_next_inspection(values)
    _check(office, values)
    with transaction.atomic():
        return Equipment.objects.create(office=office, **values)


def edit_equipment(piece: Equipment, *, by: Any, **values: Any) -> Equipment:
    """Change what the register says about a piece."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not fields of the register: {sorted(unknown)}")
    values = _with_next_inspection(values)
    _check(piece.office, {**{f: getattr(piece, f) for f in EDITABLE}, **values}, piece)
    with transaction.atomic():
        for field, value in values.items():
            setattr(piece, field, value)
        piece.save()
    return piece


def retire_equipment(piece: Equipment, *, by: Any) -> Equipment:
    """Take a piece out of service: it stays on the register with its history."""
    with transaction.atomic():
        Equipment.objects.filter(pk=piece.pk).update(is_active=False)
    piece.refresh_from_db()
    return piece


def record_inspection(piece: Equipment, *, on: date, by: Any) -> Equipment:
    """A legal inspection done on ``on``: the next one falls ``inspection_every_months`` later."""
    if piece.inspection_every_months is None:
        raise ValidationError(
            {"inspection_every_months": _("Set how often this piece is inspected first.")}
        )
    if piece.last_inspected_on and on < piece.last_inspected_on:
        raise ValidationError(
            {
                "on": _("This is before the last inspection recorded (%(day)s).")
                % {"day": piece.last_inspected_on.isoformat()}
            }
        )
    with transaction.atomic():
        Equipment.objects.filter(pk=piece.pk).update(
            last_inspected_on=on,
            next_inspection_on=add_months(on, piece.inspection_every_months),
        )
    piece.refresh_from_db()
    return piece


def report_fault(equipment: Equipment, *, description: str, by: Any, channel: str) -> WorkOrder:
    """A fault on a piece: a repair order on it, at its place, logged as an online contact (a
    label scanned on a phone reaches the desk as a portal report does), so it waits for the
    desk to dispatch it with the 10-minute dispatch clock running, and the desk is told."""
    from estate.frontdesk.actions import take_contact
    from estate.frontdesk.choices import Channel as ContactChannel
    from estate.frontdesk.choices import Outcome
    from estate.workorders.routing import desk_to_tell

    if not description.strip():
        raise ValidationError({"description": _("Describe what is wrong.")})
    if not equipment.is_active:
        raise ValidationError({"description": _("This piece is out of service.")})
    office = equipment.office
    what = f"{equipment.code} {equipment.name}: {description.strip()}"
    desk = people_with_role(office, Role.RECEPTIONIST) or people_with_role(office, Role.HEAD)
    with transaction.atomic():
        _contact, order, _referral = take_contact(
            office=office,
            by=by,
            contact={
                "channel": ContactChannel.ONLINE,
                "kind": Kind.REPAIR,
                "intent": what,
                "outcome": Outcome.WORK_ORDER,
            },
            order={
                "description": what,
                "location": equipment.location or equipment.name,
                "accountable": desk[0] if desk else None,
                "dispatch_now": False,
                "equipment": equipment,
            },
            event_channel=channel,
        )
        assert order is not None
        if order.status == Status.NEW:
            notify(
                office_id=office.pk,
                recipients=desk_to_tell(office, order.opened_at),
                kind="online_request",
                text=Message(
                    gettext_lazy("Fault %(number)s on %(what)s to dispatch (%(place)s)"),
                    {"number": order.number, "what": equipment.name, "place": order.place},
                ),
                link=reverse("workorders:detail", args=[order.pk]),
            )
    return order


def import_register(*, office: Office, table: list[list[Any]], by: Any) -> tuple[int, int]:
    """Import a register file into ``office``, all or nothing: rows are matched by equipment
    number, so an exported file imports back unchanged. Returns (added, updated). Raises
    ImportRefused naming each row and column, or TableFileError."""
    from estate.core.importer import Problem
    from estate.equipment.register import REGISTER

    buildings = {b.name: b for b in Building.objects.filter(office=office)}
    buildings.update({b.code: b for b in buildings.values()})
    parsed = parse_register(table)

    def known_buildings(rows: list[EquipmentRow]) -> Any:
        for row in rows:
            if row.data["building"] and row.data["building"] not in buildings:
                yield Problem(
                    row.number,
                    "building",
                    str(_("No building of this office is called %(name)s."))
                    % {"name": row.data["building"]},
                )

    def save(rows: list[EquipmentRow]) -> tuple[int, int]:
        existing = {p.code: p for p in Equipment.objects.filter(office=office)}
        added = updated = 0
        for row in rows:
            values = {**row.data, "building": buildings.get(row.data["building"])}
            piece = existing.get(values["code"])
            try:
                if piece is None:
                    add_equipment(office=office, by=by, **values)
                    added += 1
                else:
                    edit_equipment(piece, by=by, **values)
                    updated += 1
            except ValidationError as error:
                from estate.core.importer import ImportRefused

                raise ImportRefused(
                    [
                        REGISTER._error(row.number, key, str(message), parsed.headers)
                        for key, messages in error.message_dict.items()
                        for message in messages
                    ]
                ) from None
        return added, updated

    return REGISTER.commit(parsed, save, checks=(known_buildings,))
