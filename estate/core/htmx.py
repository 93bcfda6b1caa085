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
        return render(request, f"{template}#{partial}", context)
    return render(request, template, context)
