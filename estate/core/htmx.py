"""The one helper that decides between a full page and a named partial (HTMX swap)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, partial: str | None = None
) -> HttpResponse:
    """Render ``template``; for an HTMX request (not a boosted navigation) render only ``template#partial``."""
    htmx = getattr(request, "htmx", None)
    if partial and htmx and not htmx.boosted:
        response = render(request, f"{template}#{partial}", context)
        address = getattr(context.get("filter"), "address", None)
        if address:  # a list's filter form posts: the address bar shows what it filtered by
            response["HX-Push-Url"] = address
        return response
    return render(request, template, context)
