"""An owner applies for the vacancy discount from the portal: the office inspects the flat and
the head decides (``billing.vacancy``); the owner sees where the application stands."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from estate.billing import vacancy
from estate.billing.choices import RequestChannel
from estate.billing.models import VacancyApplication
from estate.core.forms import add_errors, bootstrap
from estate.portal.residents import resident_of
from estate.properties.choices import HouseholdKind


class PortalVacancyForm(forms.Form):
    vacant_from = forms.DateField(label=_("Vacant from"), widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        bootstrap(self)


@login_required(login_url="portal:sign_in")
def apply(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request)
    home = resident.household
    owner = home is not None and home.kind == HouseholdKind.OWNER
    form = PortalVacancyForm(request.POST or None)
    if request.method == "POST" and owner and home is not None and form.is_valid():
        try:
            vacancy.apply_for_vacancy(
                unit=home.unit, household=home, vacant_from=form.cleaned_data["vacant_from"],
                channel=RequestChannel.PORTAL, by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, gettext("Applied: the office will inspect the flat, then decide.")
            )
            return redirect("portal:vacancy")
    applications = (
        VacancyApplication.objects.filter(household=home).order_by("-requested_at")[:10]
        if home is not None
        else VacancyApplication.objects.none()
    )
    context = {"form": form, "owner": owner, "applications": applications}
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/vacancy.html", context, status=status)
