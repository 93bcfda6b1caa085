"""Staff sessions end after ``SESSION_IDLE_MINUTES`` without a request and ``SESSION_MAX_HOURS``
after signing in, whatever happens. A desk PC left signed in at night, or a session cookie taken
from it, is no use the next morning. Residents' portal sessions are not limited this way: their
phone is their own and they sign in rarely.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

SIGNED_IN_AT = "estate_signed_in_at"
SEEN_AT = "estate_seen_at"
LIMITED = "estate_session_limited"  # a staff session (kept so that no request asks again)
SEEN_EVERY = 60  # seconds: the session is written at most once a minute for this
# Answered after the sign-out as for anyone signed out, not sent to sign in: the API, and the
# check-in link a responder taps in a fire (the link is its own credential).
ANSWERED_SIGNED_OUT = ("/api/", "/emergencies/on-scene/")


class StaffSessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and _limited(request):
            ended = self._ended(request)
            if ended:
                logout(request)
                if request.path.startswith(ANSWERED_SIGNED_OUT):
                    return self.get_response(request)
                messages.info(request, ended)
                response = redirect_to_login(request.get_full_path())
                if request.headers.get("HX-Request"):
                    response["HX-Redirect"] = response["Location"]
                return response
        return self.get_response(request)

    def _ended(self, request: HttpRequest) -> str:
        """Why the session has ended, or "" while it goes on (and note this request)."""
        now = int(timezone.now().timestamp())
        session = request.session
        signed_in_at = session.get(SIGNED_IN_AT)
        seen_at = session.get(SEEN_AT)
        if not isinstance(signed_in_at, int) or not isinstance(seen_at, int):
            session[SIGNED_IN_AT] = session[SEEN_AT] = now
            return ""
        if now - seen_at > settings.SESSION_IDLE_MINUTES * 60:
            return _("You were signed out after %(minutes)d minutes without activity.") % {
                "minutes": settings.SESSION_IDLE_MINUTES
            }
        if now - signed_in_at > settings.SESSION_MAX_HOURS * 3600:
            return _(
                "You were signed out %(hours)d hours after signing in; please sign in again."
            ) % {"hours": settings.SESSION_MAX_HOURS}
        if now - seen_at >= SEEN_EVERY:
            session[SEEN_AT] = now
        return ""


def _limited(request: HttpRequest) -> bool:
    limited = request.session.get(LIMITED)
    if not isinstance(limited, bool):
        limited = request.session[LIMITED] = not hasattr(request.user, "resident")
    return limited


def note_sign_in(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """Connected to ``user_logged_in``: a new sign-in starts both times afresh."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = int(timezone.now().timestamp())
        request.session[LIMITED] = not hasattr(user, "resident")
