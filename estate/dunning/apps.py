from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DunningConfig(AppConfig):
    name = "estate.dunning"
    verbose_name = _("Dunning")

    def ready(self) -> None:
        # A reminder sent by message takes its result from the message's deliveries.
        from estate.dunning import attempts
        from estate.messaging.signals import delivery_results

        delivery_results.connect(attempts.on_delivery_results, dispatch_uid="dunning-attempts")
