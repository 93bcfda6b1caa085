"""The convenience cart in the portal: what can be borrowed now, and what the household has out."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from estate.frontdesk.cart import with_availability
from estate.frontdesk.models import Loan
from estate.portal.residents import resident_of


@login_required(login_url="portal:sign_in")
def cart(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request)
    mine = Loan.objects.filter(borrower__user_id=request.user.pk or 0, returned_at__isnull=True)
    return render(
        request,
        "portal/cart.html",
        {
            "items": with_availability(resident.office),
            "loans": mine.select_related("item"),
            "office": resident.office,
        },
    )
