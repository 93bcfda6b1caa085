from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability, Role
from estate.core.permissions import staff_view
from estate.properties.models import Office
from estate.reports.dashboard import dashboard
from estate.reports.periods import Period
from estate.workorders.field import lands_in_the_field


@staff_view()
def home(request: HttpRequest) -> HttpResponse:
    """Overview of the offices the user sees, with the size of each registry; field staff land
    on their jobs instead (``?overview=1`` still shows them this page)."""
    if "overview" not in request.GET and lands_in_the_field(request.user):
        return redirect("workorders:jobs")
    offices = list(
        Office.objects.visible_to(request.user)
        .select_related("company")
        .annotate(
            building_count=Count("building", distinct=True),
            unit_count=Count("unit", distinct=True),
            service_unit_count=Count(
                "serviceunit", filter=Q(serviceunit__is_active=True), distinct=True
            ),
        )
    )
    scope = scope_for(request.user)
    roles = [Role(role).label for role in sorted(scope.all_roles())]
    # Those who read the figures see at once how many of this month's targets are missed.
    reported = [office for office in offices if scope.can(Capability.VIEW_REPORTS, office.pk)]
    today = timezone.localdate()
    missed = {
        row.office.pk: len(row.missed)
        for row in dashboard(reported, Period.month_of(today), today=today)
        if row.office is not None
    }
    for office in offices:
        office.missed_targets = missed.get(office.pk)
    return render(
        request, "core/home.html", {"offices": offices, "roles": roles, "section": "home"}
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (a cookie), remembered for a signed-in person too: their
    notifications, texts and emails are then written in it."""
    from django.views.i18n import set_language as switch

    response = switch(request)
    chosen = request.POST.get("language", "")
    if request.user.is_authenticated and chosen in {code for code, _name in settings.LANGUAGES}:
        get_user_model().objects.filter(pk=request.user.pk).update(language=chosen)
    return response
