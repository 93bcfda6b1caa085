"""Per-request context: the office's time zone and the chosen language."""

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
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
