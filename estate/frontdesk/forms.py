"""The desk console's forms: the contact, and the order or referral it may lead to."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.core.forms import UnitAddressField, limit_choices
from estate.frontdesk.choices import Channel, Outcome
from estate.frontdesk.models import ServiceItem
from estate.properties.models import Department, Resident
from estate.workorders.choices import OPEN_STATUSES, Kind
from estate.workorders.forms import OfficeBoundForm
from estate.workorders.models import WorkOrder


class ContactForm(OfficeBoundForm):
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.CALL, widget=forms.RadioSelect
    )
    unit = UnitAddressField(required=False)
    requester = forms.ModelChoiceField(
        queryset=Resident.objects.none(), required=False, widget=forms.HiddenInput
    )
    caller_name = forms.CharField(label=_("Full name"), max_length=60, required=False)
    caller_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.REPAIR)
    service_item = forms.ModelChoiceField(
        label=_("Service item"), queryset=ServiceItem.objects.none(), required=False
    )
    intent = forms.CharField(
        label=_("What the requester wants"), widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    agitated = forms.BooleanField(
        label=_("Visitor agitated: take them to the meeting room and alert the head"),
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        # Adding to an open order is chosen on the order the desk is shown, not here.
        choices=[c for c in Outcome.choices if c[0] != Outcome.ADDED_TO_ORDER],
        initial=Outcome.WORK_ORDER,
        widget=forms.RadioSelect,
    )
    add_to = forms.ModelChoiceField(
        label=_("Add the call to order"),
        queryset=WorkOrder.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("An open order of the unit this call is about; nothing new is opened."),
    )
    duplicate_ok = forms.BooleanField(
        label=_("Open a new order although the unit has one open for this"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "requester", Resident.objects.filter(office=self.office))
        limit_choices(
            self, "add_to", WorkOrder.objects.filter(office=self.office, status__in=OPEN_STATUSES)
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        requester, unit = data.get("requester"), data.get("unit")
        if requester and unit and requester.household_id and requester.household.unit_id != unit.pk:
            self.add_error("unit", _("The chosen requester does not live in this unit."))
        return data

    def contact_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {key: data.get(key) for key in (
            "channel", "unit", "requester", "caller_name", "caller_phone", "kind", "service_item",
            "intent", "notes", "agitated", "outcome",
        )}  # fmt: skip


class ReferralForm(OfficeBoundForm):
    department = forms.ModelChoiceField(label=_("Refer to"), queryset=Department.objects.none())
    told_requester = forms.CharField(
        label=_("What the requester was told (where to go, whom to ask)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "department", Department.objects.filter(office=self.office))


class ConfirmReferralForm(forms.Form):
    confirmed_by = forms.CharField(label=_("Confirmed by"), max_length=60)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
