"""Binding a FilterSet to an HTML list page (the API binds the same FilterSet itself)."""

import secrets
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from estate.core.phones import whole_number

PRIVATE_SEARCHES = "estate_private_searches"  # session: a key for each number searched for
KEEP_SEARCHES = 20


def list_params(request: Any) -> tuple[QueryDict, QueryDict]:
    """What a list is filtered by, and what its links and address bar show.

    The filter form posts (HTMX), so a phone number searched for travels in the body, not in a
    URL that server and proxy logs and the browser's history keep. In the links and the address
    a whole number is replaced by ``~key``, a key to it kept in the session, so the page can
    still be reloaded, paged and bookmarked for the session's life."""
    raw = (request.POST if request.method == "POST" else request.GET).copy()
    raw.pop("csrfmiddlewaretoken", None)
    shown = raw.copy()
    searched = raw.get("q", "")
    searches = dict(request.session.get(PRIVATE_SEARCHES, {}))
    if searched.startswith("~"):
        raw["q"] = searches.get(searched[1:], "")
    elif whole_number(searched):
        key = next((k for k, v in searches.items() if v == searched), "") or secrets.token_urlsafe(
            6
        )
        searches.pop(key, None)
        searches[key] = searched
        request.session[PRIVATE_SEARCHES] = dict(list(searches.items())[-KEEP_SEARCHES:])
        shown["q"] = f"~{key}"
    return raw, shown


def apply_filter(
    filterset_class: type[django_filters.FilterSet],
    request: Any,
    queryset: QuerySet,
    *,
    params: tuple[QueryDict, QueryDict] | None = None,
) -> Any:
    """The FilterSet bound to the list's parameters (``list_params``), styled for Bootstrap.

    ``filterset.link_params`` are the parameters for the list's links (pages) and
    ``filterset.address`` its address, both without a phone number searched for."""
    data, shown = list_params(request) if params is None else params
    filterset = filterset_class(data or None, queryset=queryset, request=request)
    filterset.link_params = shown
    filterset.address = f"{request.path}?{shown.urlencode()}" if shown else request.path
    for field in filterset.form.fields.values():
        css = (
            "form-select form-select-sm"
            if isinstance(field.widget, forms.Select)
            else "form-control form-control-sm"
        )
        field.widget.attrs.setdefault("class", css)
    return filterset
