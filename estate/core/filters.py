"""Binding a FilterSet to an HTML list page (the API binds the same FilterSet itself)."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict


def apply_filter(
    filterset_class: type[django_filters.FilterSet],
    request: Any,
    queryset: QuerySet,
    *,
    params: QueryDict | None = None,
) -> Any:
    """The FilterSet bound to ``params`` (the request's query string by default), styled for Bootstrap."""
    data = request.GET if params is None else params
    filterset = filterset_class(data or None, queryset=queryset, request=request)
    for field in filterset.form.fields.values():
        css = (
            "form-select form-select-sm"
            if isinstance(field.widget, forms.Select)
            else "form-control form-control-sm"
        )
        field.widget.attrs.setdefault("class", css)
    return filterset
