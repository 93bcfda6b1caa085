"""Taking a contact from submitted data: the desk console and the API share this, so the rules are one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from estate.frontdesk import actions
from estate.frontdesk.choices import Outcome
from estate.frontdesk.forms import ContactForm, ReferralForm
from estate.frontdesk.models import Contact, Referral
from estate.properties.models import Office
from estate.workorders.forms import OrderRoutingForm
from estate.workorders.models import WorkOrder


@dataclass
class Intake:
    contact_form: ContactForm
    order_form: OrderRoutingForm
    referral_form: ReferralForm
    contact: Contact | None = None
    order: WorkOrder | None = None
    referral: Referral | None = None
    duplicates: list[WorkOrder] = field(default_factory=list)  # shown before opening another

    @property
    def forms(self) -> tuple[Any, ...]:
        return (self.contact_form, self.order_form, self.referral_form)

    def errors(self) -> dict[str, Any]:
        """Field errors of every part, the order and referral parts nested under their names."""
        found: dict[str, Any] = {
            field: list(problems) for field, problems in self.contact_form.errors.items()
        }
        for name, form in (("order", self.order_form), ("referral", self.referral_form)):
            if form.is_bound and form.errors:
                found[name] = {field: list(problems) for field, problems in form.errors.items()}
        return found


def blank_intake(office: Office) -> Intake:
    return Intake(
        ContactForm(office=office),
        OrderRoutingForm(office=office, prefix="order"),
        ReferralForm(office=office, prefix="ref"),
    )


def take(
    office: Office,
    by: Any,
    contact_data: Any,
    order_data: Any = None,
    referral_data: Any = None,
    *,
    channel: str,
    prefixed: bool = False,
) -> Intake:
    """Validate and save a contact with the order or referral its outcome asks for, all or nothing.

    ``prefixed``: the order and referral fields come in ``contact_data`` with the
    prefixes ``order-`` and ``ref-`` (an HTML form); otherwise as separate mappings (JSON).
    """
    intake = Intake(
        ContactForm(contact_data, office=office),
        OrderRoutingForm(
            contact_data if prefixed else (order_data or {}),
            office=office,
            prefix="order" if prefixed else None,
        ),
        ReferralForm(
            contact_data if prefixed else (referral_data or {}),
            office=office,
            prefix="ref" if prefixed else None,
        ),
    )
    valid = intake.contact_form.is_valid()
    outcome = intake.contact_form.cleaned_data.get("outcome") if valid else None
    if outcome == Outcome.WORK_ORDER:
        valid = intake.order_form.is_valid() and valid
    if outcome == Outcome.REFERRED:
        valid = intake.referral_form.is_valid() and valid
    if not valid:
        return intake
    data = intake.contact_form.cleaned_data
    add_to = data.get("add_to")
    if outcome == Outcome.WORK_ORDER and add_to is None and not data.get("duplicate_ok"):
        intake.duplicates = actions.open_duplicates(
            office, unit=data.get("unit"), kind=data["kind"], service_item=data.get("service_item")
        )
        if intake.duplicates:
            intake.contact_form.add_error(
                "duplicate_ok",
                gettext(
                    "The unit has an open order for this: %(numbers)s. Add the call to it, "
                    "or confirm that a new order is wanted."
                )
                % {"numbers": ", ".join(order.number for order in intake.duplicates)},
            )
            return intake
    try:
        intake.contact, intake.order, intake.referral = actions.take_contact(
            office=office,
            by=by,
            contact=intake.contact_form.contact_fields(),
            order=intake.order_form.routing() if outcome == Outcome.WORK_ORDER else None,
            referral=intake.referral_form.cleaned_data if outcome == Outcome.REFERRED else None,
            event_channel=channel,
            add_to=add_to,
        )
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            target = next((f for f in intake.forms if field in f.fields), intake.contact_form)
            target.add_error(field if field in target.fields else None, problems)
    return intake
