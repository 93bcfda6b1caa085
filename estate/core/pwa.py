"""Installing estate on a phone: the web app manifest and the service worker (served from the
site's root so that it may keep the field view's pages; ``static/estate/field.js`` registers it).

The worker's version is the hash of the files it keeps, so a deployment with new files
replaces the kept copies."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

SHELL_FILES = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "estate/estate.css",
    "estate/page.js",
    "estate/civil.js",
    "estate/text-size.js",
    "estate/field.js",
    "estate/favicon.svg",
)


def manifest(request: HttpRequest) -> JsonResponse:
    answer = JsonResponse(
        {
            "name": gettext("estate service desk"),
            "short_name": gettext("My jobs"),
            "start_url": reverse("workorders:jobs"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0d6efd",
            "lang": request.LANGUAGE_CODE,
            "icons": [
                {"src": static("estate/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
    answer["Content-Type"] = "application/manifest+json"
    return answer


@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [static(name) for name in SHELL_FILES]
    version = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]
    body = render_to_string(
        "pwa/sw.js",
        {"shell": shell, "version": version, "static_prefix": settings.STATIC_URL},
    )
    answer = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    answer["Service-Worker-Allowed"] = "/"
    return answer
