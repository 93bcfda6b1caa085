"""The resident's home page in the portal: interruptions reaching their building(s), their
household(s), and the notices showing now."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from estate.messaging.models import Message
from estate.notices.affected import for_resident
from estate.notices.models import Notice
from estate.portal.residents import resident_of
from estate.properties.models import Household, Resident


@login_required(login_url="portal:sign_in")
def home(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request)
    user_id = resident.user_id
    households = (
        Household.objects.current()
        .filter(residents__user_id=user_id)
        .select_related("unit__building")
        .prefetch_related(
            Prefetch("residents", queryset=Resident.objects.order_by("-is_primary", "name"))
        )
    )
    buildings = {household.unit.building_id for household in households}
    interruptions = for_resident(resident.office_id, buildings, timezone.now())
    notices = Notice.objects.in_office(resident.office_id).showing_on(timezone.localdate())[:10]
    return render(
        request,
        "portal/home.html",
        {
            "resident": resident,
            "households": households,
            "notices": notices,
            "interruptions": interruptions,
            "unread": Message.objects.filter(resident=resident, read_at__isnull=True).count(),
        },
    )
