from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.billing.choices import PaymentMethod, ReversalKind
from estate.core.forms import bootstrap
from estate.core.periods import Quarter
from estate.language.widgets import RequesterTextarea
from estate.properties.models import Building, Office


class QuarterField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Quarter"))
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault(
            "help_text",
            _(
                "The year and the quarter's number: 2026Q4 is October to December 2026 "
                "(2026-Q4 and 2026q4 are taken too)."
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        try:
            return Quarter.parse(text)
        except ValueError:
            raise forms.ValidationError(_("Write the quarter like 2026Q4.")) from None


class RunForm(forms.Form):
    quarter = QuarterField()
    building = forms.ModelChoiceField(
        label=_("Building"),
        queryset=Building.objects.none(),
        required=False,
        empty_label=_("All buildings"),
    )
    due_on = forms.DateField(
        label=_("Pay by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for the office's usual term after today."),
    )

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["building"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Building.objects.filter(office=office).order_by("sort_key", "id")
        self.fields["due_on"].help_text = _(
            "Leave empty for %(days)d days after the issue day."
        ) % {"days": office.bill_due_days}
        bootstrap(self)


class BillTermForm(forms.Form):
    bill_due_days = forms.IntegerField(
        label=_("Days to pay a bill"),
        min_value=1,
        max_value=365,
        help_text=_("A statement is due this many days after the day it is issued."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2)
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)
    as_prepayment = forms.BooleanField(
        label=_("Take more than is owed as a prepayment"), required=False
    )
    remark = forms.CharField(
        label=_("What the owner said (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class AdjustmentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (yuan; negative for a credit)"), max_digits=14, decimal_places=2
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ReversalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Void or refund"), choices=ReversalKind.choices)
    amount = forms.DecimalField(
        label=_("Amount to refund (yuan)"), max_digits=14, decimal_places=2, required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class RemarkAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer given"), widget=RequesterTextarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, office: Office | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.office = office
        bootstrap(self)


class ReadingsImportForm(forms.Form):
    file = forms.FileField(label=_("Readings (CSV or XLSX)"))
