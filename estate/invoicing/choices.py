"""The vocabulary of invoices: who buys, how a request came, its states, blue or red-letter."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BuyerKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")


class RequestChannel(models.TextChoices):
    PORTAL = "portal", pgettext_lazy("invoice request channel", "Portal")
    DESK = "desk", pgettext_lazy("invoice request channel", "Desk")


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")


class InvoiceKind(models.TextChoices):
    BLUE = "blue", _("Invoice")
    RED = "red", _("Red-letter invoice")
