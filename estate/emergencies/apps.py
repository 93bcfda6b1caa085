from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergenciesConfig(AppConfig):
    name = "estate.emergencies"
    verbose_name = _("Emergencies")
