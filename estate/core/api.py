"""API plumbing shared by every app: error mapping, paging and form-backed validation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """409 for refused transitions, 400 with field names for domain validation, never a 500 for either."""
    from estate.workorders.actions import TransitionRefused

    if isinstance(exc, TransitionRefused):
        return Response(
            {"detail": str(exc), "status": exc.order.status}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class CursorPages(CursorPagination):
    """Keyset pages for every API list (no COUNT(*); nothing skipped or repeated while rows are
    added): newest first by id, unless the viewset names its own ``ordering``, which should end
    in a unique field so that the order is total."""

    ordering: str | tuple[str, ...] = "-id"

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> tuple[str, ...]:
        wanted = getattr(view, "ordering", None) or self.ordering
        return (wanted,) if isinstance(wanted, str) else tuple(wanted)

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any] | None:
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, DjangoValidationError):
            # A cursor is base64 anyone can write; one whose position is not of the ordering
            # field's type (text for a date) fails in the query, and is as invalid as any other.
            raise NotFound(self.invalid_cursor_message) from None


def form_errors(form: forms.BaseForm) -> dict[str, list[str]]:
    return {
        field: [str(message) for message in problems] for field, problems in form.errors.items()
    }


_FIELD_TYPES: list[tuple[type[forms.Field], Any]] = [
    (forms.BooleanField, lambda f: serializers.BooleanField(required=False)),
    (
        forms.ModelChoiceField,
        lambda f: serializers.IntegerField(required=f.required, help_text="id"),
    ),
    (
        forms.ChoiceField,
        lambda f: serializers.ChoiceField(choices=list(f.choices), required=f.required),
    ),
    (forms.DateTimeField, lambda f: serializers.DateTimeField(required=f.required)),
    (forms.DateField, lambda f: serializers.DateField(required=f.required)),
    (
        forms.DecimalField,
        lambda f: serializers.DecimalField(max_digits=10, decimal_places=2, required=f.required),
    ),
    (forms.FileField, lambda f: serializers.FileField(required=f.required)),
]


def serializer_for_form(form_class: type[forms.Form], name: str) -> type[serializers.Serializer]:
    """A serializer that describes a form's fields in the OpenAPI schema (validation stays in the form)."""
    fields: dict[str, serializers.Field] = {}
    for field_name, field in form_class.base_fields.items():
        for form_type, make in _FIELD_TYPES:
            if isinstance(field, form_type):
                fields[field_name] = make(field)
                break
        else:
            fields[field_name] = serializers.CharField(
                required=field.required, allow_blank=not field.required
            )
    return type(name, (serializers.Serializer,), fields)
