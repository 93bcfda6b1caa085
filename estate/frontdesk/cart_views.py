"""The desk's page for the convenience service cart: what is free, lend, take back."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from estate.accounts.roles import Capability
from estate.core.forms import UnitAddressField, add_errors, bootstrap
from estate.core.permissions import office_for, require_capability, staff_view
from estate.frontdesk import cart
from estate.frontdesk.models import CartItem, Loan


class LendForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Item"), queryset=CartItem.objects.none())
    unit = UnitAddressField(required=False)
    borrower_name = forms.CharField(label=_("Borrower"), max_length=60)
    due_back = forms.DateField(label=_("Due back"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, office: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item = self.fields["item"]
        assert isinstance(item, forms.ModelChoiceField)
        item.queryset = CartItem.objects.filter(office=office, is_active=True)
        unit = self.fields["unit"]
        assert isinstance(unit, UnitAddressField)
        unit.office = office
        bootstrap(self)


@staff_view(Capability.RUN_DESK)
@require_http_methods(["GET", "POST"])
def cart_page(request: HttpRequest) -> HttpResponse:
    office = office_for(request, Capability.RUN_DESK)
    require_capability(request.user, Capability.RUN_DESK, office.pk)
    form = LendForm(
        request.POST if request.POST.get("do") == "lend" else None,
        office=office,
        initial={"due_back": timezone.localdate()},
    )
    if request.method == "POST":
        try:
            if request.POST.get("do") == "return":
                loan = get_object_or_404(Loan, pk=request.POST.get("loan") or 0, office=office)
                cart.take_back(loan, by=request.user)
                messages.success(request, gettext("Returned."))
                return redirect(f"{reverse('frontdesk:cart')}?office={office.pk}")
            if form.is_valid():
                data = form.cleaned_data
                unit = data["unit"]
                cart.lend(
                    data["item"], by=request.user, due_back=data["due_back"], unit=unit,
                    borrower=unit.main_contact() if unit else None,
                    borrower_name=data["borrower_name"],
                )  # fmt: skip
                messages.success(request, gettext("Lent."))
                return redirect(f"{reverse('frontdesk:cart')}?office={office.pk}")
        except ValidationError as error:
            add_errors(form, error)
    context = {
        "office": office,
        "items": cart.with_availability(office),
        "form": form,
        "loans": Loan.objects.filter(office=office, returned_at__isnull=True)
        .select_related("item", "unit")
        .order_by("due_back"),
        "today": timezone.localdate(),
        "section": "desk",
    }
    return render(request, "frontdesk/cart.html", context, status=400 if form.errors else 200)
