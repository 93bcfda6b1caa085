from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlinePayConfig(AppConfig):
    name = "estate.onlinepay"
    verbose_name = _("Online payment")
