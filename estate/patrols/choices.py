"""Patrol vocabulary: how a check point was proved."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScanMethod(models.TextChoices):
    QR = "qr", _("QR code")
    NFC = "nfc", _("NFC tag")
    # The code typed in by hand, read off the label (no camera, or a worn label).
    TYPED = "typed", _("Typed in")
