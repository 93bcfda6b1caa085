"""Equipment vocabulary: the kinds of equipment an office keeps in its register."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EquipmentKind(models.TextChoices):
    LIFT = "lift", _("Lift")
    WATER_PUMP = "water_pump", _("Water pump")
    FIRE_SYSTEM = "fire_system", _("Fire system")
    FIRE_EXTINGUISHER = "fire_extinguisher", _("Fire extinguisher")
    GENERATOR = "generator", _("Generator")
    TRANSFORMER = "transformer", _("Transformer")
    CCTV = "cctv", _("CCTV")
    ACCESS_GATE = "access_gate", _("Access gate")
    AIR_CONDITIONING = "air_conditioning", _("Air conditioning")
    BOILER = "boiler", _("Boiler")
    OTHER = "other", _("Other equipment")
