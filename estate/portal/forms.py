from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from estate.core.forms import UnitAddressField, bootstrap
from estate.frontdesk.models import ServiceItem
from estate.properties.models import Unit
from estate.visits.choices import Satisfaction
from estate.workorders.choices import Kind


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one box (checked by their bytes when the report is saved)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", PhotosInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(f, initial) for f in files]


class ReportForm(forms.Form):
    service_item = forms.ModelChoiceField(
        label=_("What do you need?"), queryset=ServiceItem.objects.none()
    )
    unit = forms.ModelChoiceField(
        label=_("Where"), queryset=Unit.objects.none(), required=False, empty_label=_("Elsewhere")
    )
    location = forms.CharField(
        label=_("Place, if not at home (e.g. lift of building 3)"), max_length=100, required=False
    )
    description = forms.CharField(
        label=_("What is wrong?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    wanted_at = forms.DateTimeField(
        label=_("When (for help on the way, e.g. with luggage up to the lift)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    photos = PhotosField(label=_("Photos (up to 3)"), required=False)

    def __init__(
        self,
        *args: Any,
        office: Any,
        units: Any,
        campus: bool = False,
        item_info_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if campus:
            # Campus staff and students report for any building and room, typed like A-101.
            room = UnitAddressField(label=_("Building and room"), required=False)
            room.office = office
            self.fields["unit"] = room
        item = self.fields["service_item"]
        assert isinstance(item, forms.ModelChoiceField)
        item.queryset = ServiceItem.objects.filter(
            office=office,
            is_active=True,
            kind__in=[Kind.REPAIR, Kind.HOUSEKEEPING, Kind.COMPLAINT, Kind.CONCIERGE],
        ).order_by("kind", "name")
        if item_info_url:
            # Choosing an item fetches its one-time notification (HTMX); without scripts the
            # notification shows after the form is sent back or previewed.
            item.widget.attrs.update(
                {
                    "hx-get": item_info_url,
                    "hx-trigger": "change",
                    "hx-target": "#item-info",
                    "hx-swap": "outerHTML",
                }
            )
        unit = self.fields["unit"]
        if isinstance(unit, forms.ModelChoiceField):  # a home to choose (not a campus room)
            unit.queryset = units
        bootstrap(self)

    def service_items(self) -> QuerySet[ServiceItem]:
        """The items a resident may choose from."""
        item = self.fields["service_item"]
        assert isinstance(item, forms.ModelChoiceField)
        assert item.queryset is not None
        return item.queryset


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        choices=Satisfaction.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add?"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class NotFixedForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still wrong?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )


class MessageForm(forms.Form):
    """A message or a photo from the resident on an open order (their own words, not checked
    against the staff's forbidden phrases)."""

    text = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )
    photos = PhotosField(label=_("Photos (up to 3)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("photos"):
            raise forms.ValidationError(_("Write a message or choose a photo."))
        return data


class PreferencesForm(forms.Form):
    """How the resident likes to be told (each channel a consent, recorded when it changes)."""

    sms = forms.BooleanField(label=_("Text messages to my phone"), required=False)
    wechat = forms.BooleanField(label=_("WeChat messages"), required=False)
    email = forms.BooleanField(label=_("Emails"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[
            ("", _("The office's language")),
            ("zh-hant", "繁體中文"),
            ("zh-hans", "简体中文"),
        ],
        required=False,
    )
    quiet_from = forms.TimeField(
        label=_("Quiet from"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_until = forms.TimeField(
        label=_("Quiet until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Nothing is sent in these hours but emergencies and planned interruptions."),
    )

    def __init__(self, *args: Any, resident: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resident = resident
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sms") and not self.resident.phone:
            self.add_error("sms", _("We have no mobile number for you: ask the office to add it."))
        if data.get("email") and not self.resident.email:
            self.add_error(
                "email", _("We have no email address for you: ask the office to add it.")
            )
        if data.get("wechat") and not self.resident.wechat_bindings.exists():
            self.add_error("wechat", _("Bind your WeChat account first."))
        return data
