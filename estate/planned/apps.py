from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlannedConfig(AppConfig):
    name = "estate.planned"
    verbose_name = _("Planned work")
