"""Per-request context: the office's time zone and the chosen language; the API's query guard."""

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation

from estate.accounts.access import scope_for


class OfficeTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = scope_for(request.user).timezone if request.user.is_authenticated else None
        if zone:
            timezone.activate(ZoneInfo(zone))
        else:
            timezone.deactivate()
        return self.get_response(request)


class OfficeLanguageMiddleware(LocaleMiddleware):
    """The language chosen with the switcher (a cookie), else Traditional Chinese.

    The browser's Accept-Language is not consulted: an office's desk, and its residents'
    phones, open in the office's language whatever the device was set to; one click on
    the switcher changes it and is remembered.
    """

    def process_request(self, request: HttpRequest) -> None:
        supported = {code for code, _name in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


class ApiQueryTextMiddleware:
    """Refuse an API query string holding a NUL character (``?quarter=%00``): PostgreSQL cannot
    compare text with one, and a view reading the parameter by hand would fail on it. The body
    has its own guard (``StrictJSONParser``, and the fields' validators); this is the query's,
    in front of every API view at once. 400, naming the parameter, in the request's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            for name, values in request.GET.lists():
                try:
                    for text in (name, *values):
                        ProhibitNullCharactersValidator()(text)
                except ValidationError as refused:
                    shown = name.replace("\x00", "\\x00")
                    return JsonResponse({shown: refused.messages}, status=400)
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Pages and files served to someone signed in carry personal data: no browser or proxy
    may keep a copy (``Cache-Control: no-store``), unless the view said otherwise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private"
        return response
