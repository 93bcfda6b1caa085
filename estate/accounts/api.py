"""Signing in over the API: a token for a username and password (throttled as the sign-in page
is), and one's own tokens listed and revoked."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from estate.accounts import throttle, tokens
from estate.accounts.forms import staff_keys
from estate.accounts.models import ApiToken
from estate.core.addresses import client_address


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
        read_only_fields = fields


class NewTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The key; shown only this once.")

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]
        read_only_fields = fields


def _throttled(refused: throttle.Refused) -> exceptions.Throttled:
    return exceptions.Throttled(wait=refused.retry_after, detail=str(refused))


@extend_schema(request=TokenRequestSerializer, responses={201: NewTokenSerializer}, auth=[])
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def obtain_token(request: Request) -> Response:
    given = TokenRequestSerializer(data=request.data)
    given.is_valid(raise_exception=True)
    data = given.validated_data
    keys = staff_keys(data["username"], client_address(request._request))
    try:
        throttle.check(keys)
    except throttle.Refused as refused:
        raise _throttled(refused) from None
    user = authenticate(request._request, username=data["username"], password=data["password"])
    if user is None:
        try:
            throttle.failed(keys)
        except throttle.Refused as refused:
            raise _throttled(refused) from None
        raise exceptions.ValidationError(
            {"non_field_errors": [_("The username or password is not right.")]}
        )
    throttle.clear(*keys[0])
    token, key = tokens.issue(user, name=data["name"])
    body = NewTokenSerializer(token).data
    body["token"] = key
    return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(responses=ApiTokenSerializer(many=True))
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def my_tokens(request: Request) -> Response:
    """The caller's own tokens, newest first (at most 100), live or ended."""
    mine = ApiToken.objects.filter(user=request.user)  # type: ignore[misc]
    rows = mine.order_by("-created_at", "-id")[:100]
    return Response(ApiTokenSerializer(rows, many=True).data)


@extend_schema(request=None, responses=ApiTokenSerializer)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def revoke_token(request: Request, pk: int) -> Response:
    """Revoke one of the caller's own tokens (the one in use, too)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke(token, by=request.user)  # type: ignore[arg-type]
    token.refresh_from_db()
    return Response(ApiTokenSerializer(token).data)
