"""The invoice request form (portal and desk alike) and the cashier's refusal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from estate.invoicing.choices import BuyerKind


class InvoiceRequestForm(forms.Form):
    """What the buyer says; the checks (the tax number's check digit, a way to reach them) are
    the action's, so the portal, the desk and any other channel meet the same ones."""

    buyer_kind = forms.ChoiceField(
        label=_("Buyer"), choices=BuyerKind.choices, initial=BuyerKind.PERSON
    )
    buyer_name = forms.CharField(label=_("Buyer's name"), max_length=100)
    tax_id = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,
        required=False,
        help_text=_("18 characters; required for a company."),
    )
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
