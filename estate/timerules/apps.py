from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimerulesConfig(AppConfig):
    name = "estate.timerules"
    verbose_name = _("Time rules")
