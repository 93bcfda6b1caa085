"""Who is signed in to the portal: the resident record of the request's user (404 without one)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from estate.properties.models import Resident


def resident_of(request: Any) -> Resident:
    resident = (
        Resident.objects.filter(user_id=request.user.pk or 0)
        .select_related("office", "household__unit")
        .first()
    )
    if resident is None:
        raise Http404
    return resident
