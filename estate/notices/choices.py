"""The vocabulary of notices: what a planned interruption (停水停電) stops."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Utility(models.TextChoices):
    """What is interrupted. The labels are nouns that fit the message "Planned {what}
    interruption" (停{what}: 停水, 停電), so they are lower case in English."""

    WATER = "water", _("water")
    ELECTRICITY = "electricity", _("electricity")
    GAS = "gas", _("gas")
    LIFT = "lift", _("lift")
    OTHER = "other", _("other service")
