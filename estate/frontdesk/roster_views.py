"""The roster page: two weeks of shifts and the gaps nobody covers; heads and managers add shifts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from estate.accounts.access import scope_for
from estate.accounts.models import User
from estate.accounts.roles import Capability
from estate.core.forms import add_errors, bootstrap, limit_choices
from estate.core.permissions import office_for, staff_view
from estate.frontdesk import roster
from estate.frontdesk.models import DutyShift

DAYS = 14


class ShiftForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    staff_member = forms.ModelChoiceField(label=_("Staff member"), queryset=User.objects.none())

    def __init__(self, *args: Any, office: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self, "staff_member", User.objects.filter(staff_roles__office=office).distinct()
        )
        bootstrap(self)


@staff_view()
@require_http_methods(["GET", "POST"])
def roster_page(request: HttpRequest) -> HttpResponse:
    office = office_for(request, Capability.VIEW_REGISTRY)
    try:
        first = date.fromisoformat(request.GET.get("first") or request.POST.get("first") or "")
    except ValueError:
        first = timezone.localdate()
    last = first + timedelta(days=DAYS - 1)
    may_edit = scope_for(request.user).can(Capability.MANAGE_OFFICE, office.pk)
    form = ShiftForm(request.POST or None, office=office)
    if request.method == "POST" and may_edit and form.is_valid():
        try:
            roster.add_shift(office=office, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("Shift added."))
            return redirect(f"{reverse('frontdesk:roster')}?office={office.pk}&first={first}")
    context = {
        "office": office,
        "first": first,
        "shifts": DutyShift.objects.filter(
            office=office, day__gte=first, day__lte=last
        ).select_related("staff_member"),
        "gaps": roster.gaps(office, first, last),
        "form": form,
        "may_edit": may_edit,
        "section": "desk",
    }
    return render(request, "frontdesk/roster.html", context, status=400 if form.errors else 200)
