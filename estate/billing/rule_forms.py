"""Forms of the fee-rule pages: late-fee rules, the developer, vacancy applications, deposits."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.billing.choices import (
    CapKind,
    DepositPurpose,
    LateFeeBasis,
    PaymentMethod,
    RequestChannel,
)
from estate.billing.models import FeeItem
from estate.core.forms import bootstrap
from estate.properties.models import Household, Office, Unit


class LateFeeRuleForm(forms.Form):
    fee_item = forms.ModelChoiceField(label=_("Fee item"), queryset=FeeItem.objects.none())
    basis = forms.ChoiceField(label=_("Charged"), choices=LateFeeBasis.choices)
    rate = forms.DecimalField(
        label=_("Rate (‰ a day or % a month)"), max_digits=7, decimal_places=3
    )
    grace_days = forms.IntegerField(
        label=_("Grace days after the due date"), min_value=0, initial=0
    )
    cap_kind = forms.ChoiceField(label=_("Cap"), choices=CapKind.choices)
    cap = forms.DecimalField(label=_("Cap value"), max_digits=12, decimal_places=2, required=False)
    contract_reference = forms.CharField(
        label=_("Contract clause"),
        max_length=200,
        help_text=_("The clause of the property service contract that provides the late fee."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["fee_item"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = FeeItem.objects.filter(office=office, is_active=True)
        bootstrap(self)


class DeveloperForm(forms.Form):
    name = forms.CharField(
        label=_("Developer"),
        max_length=60,
        required=False,
        help_text=_("Pays for units with no household (not yet sold or delivered). Blank: none."),
    )
    contact = forms.CharField(label=_("Contact"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class UnitField(forms.CharField):
    """A unit of the office by its address (like 3-1202)."""

    def __init__(self, *, office: Office, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Unit"))
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", _("Like 3-1202."))
        self.office = office
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        unit = Unit.objects.filter(office=self.office, address=text.strip()).first()
        if unit is None:
            raise forms.ValidationError(_("No unit of this office has that address."))
        return unit


def household_of(unit: Unit) -> Household | None:
    """The unit's household now: the owner's, else the one living there."""
    current = Household.objects.current().filter(unit=unit).order_by("id")
    return current.filter(kind="owner").first() or current.first()


class VacancyForm(forms.Form):
    vacant_from = forms.DateField(label=_("Vacant from"), widget=forms.DateInput({"type": "date"}))
    channel = forms.ChoiceField(label=_("Channel"), choices=RequestChannel.choices)

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"unit": UnitField(office=office), **self.fields}
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit = data.get("unit")
        if unit is not None:
            data["household"] = household_of(unit)
            if data["household"] is None:
                self.add_error("unit", _("No household is registered in this unit."))
        return data


class DepositForm(forms.Form):
    payer = forms.CharField(label=_("Paid by"), max_length=60)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=DepositPurpose.choices)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2)
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"unit": UnitField(office=office), **self.fields}
        bootstrap(self)


class DeductionsField(forms.CharField):
    """One deduction a line: the amount, a space, the reason (``300 牆面損壞``)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value: Any) -> Any:
        text = super().clean(value) or ""
        found = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            amount, _space, reason = line.strip().partition(" ")
            try:
                money = Decimal(amount)
            except InvalidOperation:
                raise forms.ValidationError(
                    _("Line %(n)d: start with the amount, then the reason.") % {"n": number}
                ) from None
            found.append((money, reason.strip()))
        return found


class DepositRefundForm(forms.Form):
    deductions = DeductionsField(
        label=_("Deductions"),
        required=False,
        help_text=_("One a line: the amount, then the reason. Blank: refund in full."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
