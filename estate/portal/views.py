"""Resident-facing pages. This issue gives residents their household page; reporting comes later."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from estate.accounts.models import User
from estate.notices.models import Notice
from estate.properties.models import Household, Resident


@login_required(login_url="portal:sign_in")
def home(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)  # login_required
    user_id = request.user.pk
    resident = (
        Resident.objects.filter(user_id=user_id).select_related("office", "household__unit").first()
    )
    if resident is None:
        raise Http404
    households = (
        Household.objects.current()
        .filter(residents__user_id=user_id)
        .select_related("unit__building")
        .prefetch_related(
            Prefetch("residents", queryset=Resident.objects.order_by("-is_primary", "name"))
        )
    )
    notices = Notice.objects.in_office(resident.office_id).showing_on(timezone.localdate())[:10]
    return render(
        request,
        "portal/home.html",
        {"resident": resident, "households": households, "notices": notices},
    )
