from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontdeskConfig(AppConfig):
    name = "estate.frontdesk"
    verbose_name = _("Front desk")
