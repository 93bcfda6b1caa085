"""Strings of Django's own that its catalogues do not translate yet, marked here so that our
catalogue (which Django reads first, LOCALE_PATHS) carries them. Django 6.1 gives every select
of a field with choices a blank option "- Select an option -", untranslated in zh-Hant."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [gettext_noop("- Select an option -")]
