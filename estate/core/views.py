from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from estate.accounts.access import scope_for
from estate.accounts.roles import Role
from estate.core.permissions import staff_view
from estate.properties.models import Office


@staff_view()
def home(request: HttpRequest) -> HttpResponse:
    """Overview of the offices the user sees, with the size of each registry."""
    offices = (
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
    roles = [Role(role).label for role in sorted(scope_for(request.user).all_roles())]
    return render(
        request, "core/home.html", {"offices": offices, "roles": roles, "section": "home"}
    )
