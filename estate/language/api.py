"""The guard over the API: check a text before sending it through another channel."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from estate.accounts.access import scope_for
from estate.language import guard


class CheckRequest(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=20_000)
    office = serializers.IntegerField(required=False, allow_null=True)


_HITS = inline_serializer(
    "ForbiddenPhraseHit",
    {
        "start": serializers.IntegerField(
            help_text="Position of the first character (code points)."
        ),
        "end": serializers.IntegerField(help_text="Position after the last character."),
        "written": serializers.CharField(),
        "listed": serializers.CharField(),
        "situation": serializers.CharField(),
        "suggestions": serializers.ListField(child=serializers.CharField()),
    },
    many=True,
)


@extend_schema(
    request=CheckRequest,
    responses=inline_serializer(
        "ForbiddenPhraseCheck",
        {
            "ok": serializers.BooleanField(),
            "mode": serializers.CharField(),
            "hits": _HITS,
        },
    ),
)
@api_view(["POST"])
def check(request: Request) -> Response:
    """Find forbidden phrases in a text (the office's list and the company's); nothing is recorded."""
    given = CheckRequest(data=request.data)
    given.is_valid(raise_exception=True)
    office = given.validated_data.get("office")
    if office is not None and office not in scope_for(request.user).office_ids:
        raise serializers.ValidationError({"office": [_("Not one of your offices.")]})
    hits = guard.check(given.validated_data["text"], office)
    return Response(
        {
            "ok": not hits,
            "mode": guard.mode_for(office),
            "hits": [
                {
                    "start": hit.start,
                    "end": hit.end,
                    "written": hit.written,
                    "listed": hit.listed,
                    "situation": hit.phrase.situation,
                    "suggestions": hit.suggestions,
                }
                for hit in hits
            ],
        }
    )
