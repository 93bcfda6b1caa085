"""Forms for opening orders and for each action; the API binds the same forms, so the rules are one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.accounts.models import User
from estate.core.forms import UnitAddressField, bootstrap, limit_choices
from estate.frontdesk.models import ServiceItem
from estate.knowledge.models import Article, public_articles
from estate.language.widgets import RequesterTextarea, RequesterTextInput
from estate.properties.models import Office, ServiceUnit
from estate.workorders.choices import Action, ComplaintType, Kind, Priority, ReplyChannel
from estate.workorders.models import Material, Rectification

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def office_staff(office: Office) -> Any:
    return (
        User.objects.filter(staff_roles__office=office, is_active=True)
        .distinct()
        .order_by("display_name", "username")
    )


class OfficeBoundForm(forms.Form):
    """A form whose choices (units, teams, people) come from one office."""

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.office = office
        for field in self.fields.values():
            if isinstance(field, UnitAddressField):
                field.office = office
        if "service_unit" in self.fields:
            limit_choices(
                self, "service_unit", ServiceUnit.objects.filter(office=office, is_active=True)
            )
        for person in ("assignee", "about"):
            if person in self.fields:
                limit_choices(self, person, office_staff(office))
        if "service_item" in self.fields:
            items = ServiceItem.objects.filter(office=office, is_active=True).select_related(
                "service_unit"
            )
            limit_choices(self, "service_item", items)
        bootstrap(self)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class OrderRoutingForm(OfficeBoundForm):
    """Where the job goes and what was promised: the part of a new order the desk console shares."""

    location = forms.CharField(label=_("Place (common area)"), max_length=100, required=False)
    # Blank means the service item's default priority (a select without a blank choice would
    # always send its first choice, 低).
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("As the service item says")), *Priority.choices],
        required=False,
    )
    is_emergency = forms.BooleanField(label=_("Emergency"), required=False)
    complaint_type = forms.ChoiceField(
        label=_("Complaint type"), choices=[("", "—"), *ComplaintType.choices], required=False
    )
    is_important = forms.BooleanField(
        label=_("Important complaint (the head answers within 2 working days)"), required=False
    )
    about = PersonChoiceField(
        label=_("Staff member complained about"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("They will not see the complaint nor its return visit."),
    )
    service_unit = forms.ModelChoiceField(
        label=_("Dispatch to service unit"), queryset=ServiceUnit.objects.none(), required=False
    )
    assignee = PersonChoiceField(
        label=_("Dispatch to person"), queryset=User.objects.none(), required=False
    )
    promised_at = forms.DateTimeField(
        label=_("Promised time"), required=False, widget=DATETIME_WIDGET
    )
    promise_reason = forms.CharField(
        label=_("Why not sooner (as told to the requester)"), max_length=200, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("promised_at") and not (data.get("promise_reason") or "").strip():
            self.add_error(
                "promise_reason", _("Say why it cannot be sooner, as told to the requester.")
            )
        if data.get("assignee") and not data.get("service_unit") and not data.get("service_item"):
            self.add_error("service_unit", _("Choose the service unit of the person."))
        return data

    def routing(self) -> dict[str, Any]:
        """Keyword arguments for ``open_work_order``."""
        data = self.cleaned_data
        return {
            "location": data.get("location") or "",
            "priority": data.get("priority") or None,
            "is_emergency": bool(data.get("is_emergency")),
            "complaint_type": data.get("complaint_type") or "",
            "is_important": bool(data.get("is_important")),
            "about": data.get("about"),
            "service_unit": data.get("service_unit"),
            "assignee": data.get("assignee"),
            "promised_at": data.get("promised_at"),
            "promise_reason": data.get("promise_reason") or "",
        }


class NewOrderForm(OrderRoutingForm):
    """An order opened directly, not from a logged contact."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    service_item = forms.ModelChoiceField(
        label=_("Service item"), queryset=ServiceItem.objects.none(), required=False
    )
    unit = UnitAddressField(required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    requester_name = forms.CharField(label=_("Requester name"), max_length=60, required=False)
    requester_phone = forms.CharField(label=_("Requester phone"), max_length=20, required=False)

    field_order = [
        "kind",
        "service_item",
        "unit",
        "location",
        "description",
        "requester_name",
        "requester_phone",
    ]

    def new_order(self) -> dict[str, Any]:
        """Keyword arguments for ``open_work_order``: what was typed plus the routing."""
        data = self.cleaned_data
        typed = ("kind", "description", "unit", "requester_name", "requester_phone", "service_item")
        return {**{key: data[key] for key in typed}, **self.routing()}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            not data.get("unit")
            and not (data.get("location") or "").strip()
            and "unit" not in self.errors
        ):
            self.add_error("location", _("Give a unit or a place such as 3棟電梯."))
        return data


class ReasonForm(OfficeBoundForm):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class DispatchForm(OfficeBoundForm):
    service_unit = forms.ModelChoiceField(
        label=_("Service unit"), queryset=ServiceUnit.objects.none()
    )
    assignee = PersonChoiceField(label=_("Person"), queryset=User.objects.none(), required=False)


class AssignForm(OfficeBoundForm):
    assignee = PersonChoiceField(label=_("Person"), queryset=User.objects.none())


class TransferForm(DispatchForm):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class HoldForm(ReasonForm):
    resume_on = forms.DateField(label=_("Resume on"), required=False, widget=DATE_WIDGET)


class CompleteForm(OfficeBoundForm):
    work_done = forms.CharField(label=_("Work done"), widget=forms.Textarea(attrs={"rows": 2}))
    materials_used = forms.CharField(label=_("Materials used"), required=False)
    fee_charged = forms.DecimalField(
        label=_("Fee charged (yuan)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        initial=0,
        required=False,
    )
    # Filled by the signature pad (``static/estate/signature.js``) with a PNG data URL; checked
    # by ``actions.complete``, which stores it.
    signature = forms.CharField(
        label=_("Requester's signature"),
        required=False,
        strip=False,
        widget=forms.HiddenInput(attrs={"data-signature-field": ""}),
    )


class ReplyForm(OfficeBoundForm):
    reply_channel = forms.ChoiceField(
        label=_("How the requester was told"), choices=ReplyChannel.choices
    )
    text = forms.CharField(
        label=_("What the requester was told"), widget=RequesterTextarea(attrs={"rows": 2})
    )
    articles = forms.ModelMultipleChoiceField(
        label=_("Articles given with it"),
        queryset=Article.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "articles", public_articles(self.office))


class PromiseForm(OfficeBoundForm):
    promised_at = forms.DateTimeField(label=_("Promised time"), widget=DATETIME_WIDGET)
    reason = forms.CharField(
        label=_("Why not sooner (as told to the requester)"),
        max_length=200,
        widget=RequesterTextInput,
    )


class CommentForm(OfficeBoundForm):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachForm(OfficeBoundForm):
    file = forms.FileField(label=_("Photo"))


class NoFieldsForm(OfficeBoundForm):
    pass


class MaterialUseForm(OfficeBoundForm):
    """A material used, chosen from the office's active list, and how much of it."""

    material = forms.ModelChoiceField(
        label=_("Material"),
        queryset=Material.objects.none(),
        error_messages={
            "required": _("Material: choose one from the list."),
            "invalid_choice": _("Material: choose one from this office's list."),
        },
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={
            "required": _("Quantity: give a number, such as 2 or 1.5."),
            "invalid": _("Quantity: give a number, such as 2 or 1.5."),
            "min_value": _("Quantity: it must be more than zero."),
        },
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "material", Material.objects.filter(office=self.office, is_active=True))


class RectificationForm(OfficeBoundForm):
    staff_member = PersonChoiceField(label=_("Staff member"), queryset=User.objects.none())
    measures = forms.CharField(
        label=_("What must change"), widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_WIDGET)
    penalty = forms.CharField(label=_("Penalty"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "staff_member", office_staff(self.office))


class RectificationDoneForm(OfficeBoundForm):
    rectification = forms.ModelChoiceField(
        label=_("Rectification"), queryset=Rectification.objects.none()
    )
    note = forms.CharField(label=_("How it was done"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        open_ones = Rectification.objects.filter(office=self.office, done_at__isnull=True)
        limit_choices(self, "rectification", open_ones.select_related("staff_member"))


ACTION_FORMS: dict[str, type[OfficeBoundForm]] = {
    Action.DISPATCH: DispatchForm,
    Action.ASSIGN: AssignForm,
    Action.TRANSFER: TransferForm,
    Action.RETURN: ReasonForm,
    Action.ACCEPT: NoFieldsForm,
    Action.START: NoFieldsForm,
    Action.HOLD: HoldForm,
    Action.RESUME: NoFieldsForm,
    Action.COMPLETE: CompleteForm,
    Action.REPLY: ReplyForm,
    Action.UPDATE_REQUESTER: ReplyForm,
    Action.CLOSE: NoFieldsForm,
    Action.CANCEL: ReasonForm,
    Action.REOPEN: ReasonForm,
    Action.PROMISE: PromiseForm,
    Action.COMMENT: CommentForm,
    Action.ATTACH: AttachForm,
    Action.RECTIFY: RectificationForm,
    Action.RECTIFIED: RectificationDoneForm,
}
