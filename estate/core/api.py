"""API plumbing shared by every app: error mapping, paging, reading bodies into forms, and
form-backed validation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import BadRequest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from estate.core.conflicts import Conflict
from estate.core.periods import check_year


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """409 for refused transitions and other conflicts, 400 with field names for domain
    validation, never a 500 for either."""
    from estate.workorders.actions import TransitionRefused

    if isinstance(exc, TransitionRefused):
        return Response(
            {"detail": str(exc), "status": exc.order.status}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, BadRequest):
        field = getattr(exc, "field", None)
        body = {field: [str(exc)]} if field else {"detail": str(exc)}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Conflict):
        return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
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

    def decode_cursor(self, request: Request) -> Cursor | None:
        cursor = super().decode_cursor(request)
        if cursor is not None and "\x00" in str(cursor.position or ""):
            raise NotFound(self.invalid_cursor_message)  # PostgreSQL cannot compare text with NUL
        return cursor

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


_ONE_VALUE = (str, int, float)  # bool is an int: true and false are sent as text too


def form_data(
    data: Any, form_class: type[forms.Form], *, part: str | None = None
) -> dict[str, Any]:
    """A request body as the data of ``form_class``, or a 400 naming what has the wrong shape.

    Forms are written for HTML posts, where every value is text; JSON can send anything. So a
    body (or its nested ``part``, e.g. the ``order`` of a contact) must be an object; a field
    that takes one value (text, a number, a date, an id) takes a string, number or boolean,
    never an object or a list (stored, those became Python reprs); a field that takes several
    takes a list of such values; an id past what a database column holds is refused (SQLite
    fails on it in a list). Numbers and booleans become text, as a browser sends them; null is
    an empty field. Fields the form does not know are left out; files come from
    ``request.FILES``. (Lone surrogates are refused by ``StrictJSONParser``.)
    """
    if part is not None:
        data = data.get(part) if isinstance(data, Mapping) else None
        if data is None:
            return {}
    if isinstance(data, QueryDict):  # a form post: already text; lists where a field takes several
        data = {
            name: data.getlist(name) if _takes_several(field) else data.get(name)
            for name, field in form_class.base_fields.items()
            if name in data
        }
    if not isinstance(data, Mapping):
        refusal: Any = [_("Send a JSON object: each field's name with its value.")]
        raise serializers.ValidationError(
            {part: refusal} if part else {"non_field_errors": refusal}
        )
    given: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for name, field in form_class.base_fields.items():
        value = data.get(name)
        if value is None or isinstance(field, forms.FileField):
            continue
        try:
            given[name] = _form_value(field, value)
        except DjangoValidationError as refused:
            problems[name] = refused.messages
    if problems:
        raise serializers.ValidationError({part: problems} if part else problems)
    return given


def _form_value(field: forms.Field, value: Any) -> str | list[str]:
    """``value`` as the text (or list of texts) a browser would post for ``field``."""
    if not _takes_several(field):
        if not isinstance(value, _ONE_VALUE):
            raise DjangoValidationError(
                _("Give one value (text, a number or an id), not a list or an object.")
            )
        texts = [_as_text(value)]
    elif isinstance(value, list) and all(isinstance(item, _ONE_VALUE) for item in value):
        texts = [_as_text(item) for item in value]
    else:
        raise DjangoValidationError(_("Give a list of values (text, numbers or ids)."))
    if isinstance(field, forms.ModelChoiceField):
        for text in texts:
            if _past_any_id(text):
                raise DjangoValidationError(
                    str(field.error_messages["invalid_choice"]) % {"value": text}
                )
    return texts if _takes_several(field) else texts[0]


def _past_any_id(text: str) -> bool:
    """A whole number beyond 64 bits: no row has it, and a database may fail on it."""
    digits = text.strip().removeprefix("-")
    return digits.isdecimal() and (len(digits) > 19 or int(digits) >= 2**63)


def _takes_several(field: forms.Field) -> bool:
    return isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)


def _as_text(value: str | int | float) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def day_param(value: str | None, field: str, *, month: bool = False) -> date:
    """A day (``YYYY-MM-DD``) or a month (``YYYY-MM``: its first day) given in a query; a 400
    naming the field when it is not one, or its year is not one the desk's dates name."""
    layout = "YYYY-MM" if month else "YYYY-MM-DD"
    try:
        day = datetime.strptime(value or "", "%Y-%m" if month else "%Y-%m-%d").date()
    except ValueError:
        raise serializers.ValidationError({field: [layout]}) from None
    try:
        check_year(day)
    except DjangoValidationError as refused:
        raise serializers.ValidationError({field: refused.messages}) from None
    return day


def office_number(value: Any, field: str = "office") -> int:
    """An office's number as given in a query or body; a 400 naming the field when it is not one."""
    text = str(value).strip() if isinstance(value, _ONE_VALUE) else ""
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise serializers.ValidationError({field: [_("“office” must be the number of an office.")]})
    return int(text)


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$",
        "example": "08:30:00",
    }
)
class LocalTimeField(serializers.TimeField):
    """A time of day on the office's own clock, such as its opening hours ("08:30:00"). The
    schema's ``format: time`` would promise an RFC 3339 time with an offset, which a wall-clock
    time does not have."""


class WhenField(serializers.DateTimeField):
    """A date and time in a year the desk's dates name (``core.periods.YEARS``), checked before
    DRF's own time-zone step, which fails (a 500) on one in year 1 or 9999."""

    def enforce_timezone(self, value: datetime) -> datetime:
        try:
            check_year(value)
        except DjangoValidationError as refused:
            raise serializers.ValidationError(refused.messages) from None
        return super().enforce_timezone(value)


_FIELD_TYPES: list[tuple[type[forms.Field], Any]] = [
    (forms.BooleanField, lambda f: serializers.BooleanField(required=False)),
    (
        forms.ModelMultipleChoiceField,
        lambda f: serializers.ListField(
            child=serializers.IntegerField(), required=f.required, help_text="ids"
        ),
    ),
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
