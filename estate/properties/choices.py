"""Business vocabulary of the property registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OfficeKind(models.TextChoices):
    PROPERTY = "property", _("Property management office")
    CAMPUS = "campus", _("Campus logistics service centre")


class SiteKind(models.TextChoices):
    COMMUNITY = "community", _("Residential community")
    CAMPUS = "campus", _("Campus")


class UnitUse(models.TextChoices):
    RESIDENCE = "residence", _("Residence")
    SHOP = "shop", _("Shop")
    OFFICE = "office", pgettext_lazy("unit use", "Office")
    DORMITORY = "dormitory", _("Dormitory")
    COMMON_AREA = "common_area", _("Common area")


class HouseholdKind(models.TextChoices):
    OWNER = "owner", _("Owner")
    TENANT = "tenant", _("Tenant")


class RequesterKind(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    STAFF = "staff", _("Campus staff")
    STUDENT = "student", _("Student")


class ContactPreference(models.TextChoices):
    CALL = "call", _("Phone call")
    SMS = "sms", _("Text message")
    WECHAT = "wechat", _("WeChat")
    VISIT = "visit", _("Home visit")


class ServiceUnitKind(models.TextChoices):
    REPAIR = "repair", _("Maintenance team")
    CLEANING = "cleaning", _("Cleaning team")
    SECURITY = "security", _("Security")
    CUSTOMER_SERVICE = "customer_service", _("Customer service centre")
    CONCIERGE = "concierge", pgettext_lazy("service unit kind", "Concierge")
    UTILITIES = "utilities", _("Water and power")
    DORMITORY = "dormitory", _("Dormitory management")
    CATERING = "catering", _("Catering")
    GROUNDS = "grounds", _("Grounds and greening")
    OTHER = "other", _("Other")
