"""API tokens: made for a person on sign-in, checked on every API call, revoked by the owner or
an administrator, ended by time (``API_TOKEN_DAYS``), by a new password and by signing out
everywhere."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from estate.accounts.models import ApiToken, User

LAST_USED_EVERY = timedelta(minutes=1)  # how stale `last_used_at` may be (one write a minute)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(user: User, *, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user`` and its key, which is shown this once and never kept."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:60],
        prefix=key[:8],
        digest=_digest(key),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
    )
    return token, key


def revoke(token: ApiToken, *, by: User) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )


@transaction.atomic
def sign_out_everywhere(user: User) -> None:
    """End every session and every token of ``user`` (a lost phone, a shared password)."""
    User.objects.filter(pk=user.pk).update(session_generation=user.session_generation + 1)
    user.session_generation += 1
    ApiToken.objects.revoke_all(user, by=user)


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` with a live token of an active person."""

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = ApiToken.objects.live().select_related("user").filter(digest=_digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid or has ended."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is disabled."))
        now = timezone.now()
        if token.last_used_at is None or token.last_used_at < now - LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword
