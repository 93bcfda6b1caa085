"""The equipment register (設備台賬): each piece of equipment an office looks after, where it is,
who made and services it, and when its legal inspection falls due."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import Capability
from estate.core.natural import natural_key
from estate.equipment.choices import EquipmentKind
from estate.properties.models import NaturalOrderQuerySet, OfficeScoped, sort_key_field

# A legal inspection this close (or past) is shown in the warning colour and listed as due.
DUE_SOON_DAYS = 30


def new_label_token() -> str:
    """The random part of a piece's QR label: unguessable, so a label opens only its own page."""
    return secrets.token_urlsafe(12)


class Equipment(OfficeScoped):
    """A piece of equipment (設備): a lift, a pump, a fire system, a generator…"""

    read_capability = Capability.VIEW_REGISTRY

    code = models.CharField(_("equipment number"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30, choices=EquipmentKind.choices)
    building = models.ForeignKey(
        "properties.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equipment",
        verbose_name=_("building"),
    )
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    place = models.CharField(
        _("place"), max_length=100, blank=True, help_text=_("Room or common area.")
    )
    maker = models.CharField(_("maker"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    warranty_until = models.DateField(_("warranty until"), null=True, blank=True)
    service_life_years = models.PositiveSmallIntegerField(
        _("service life (years)"), null=True, blank=True
    )
    contractor = models.CharField(_("maintenance contractor"), max_length=100, blank=True)
    contractor_phone = models.CharField(_("contractor's phone"), max_length=30, blank=True)
    inspection_every_months = models.PositiveSmallIntegerField(
        _("legal inspection every (months)"), null=True, blank=True
    )
    last_inspected_on = models.DateField(_("last legal inspection"), null=True, blank=True)
    next_inspection_on = models.DateField(
        _("next legal inspection"), null=True, blank=True, db_index=True
    )
    label_token = models.CharField(
        max_length=32, unique=True, default=new_label_token, editable=False
    )
    is_active = models.BooleanField(_("in service"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    # The code in natural order (DT-2 before DT-10): estate.core.natural, as buildings keep it.
    sort_key = sort_key_field()

    objects = NaturalOrderQuerySet.as_manager()  # type: ignore[misc]  # as Building's

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["office_id", "sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="equipment_unique_code")
        ]
        indexes = [models.Index(fields=["office", "sort_key"], name="equipment_natural_order")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_sort_key()
        fields = kwargs.get("update_fields")
        if fields is not None and "code" in fields:
            kwargs["update_fields"] = {*fields, "sort_key"}
        super().save(*args, **kwargs)

    def fill_sort_key(self) -> None:
        self.sort_key = natural_key(self.code)

    @property
    def location(self) -> str:
        """Where it is, as a work order names a place: building, floor, room or area."""
        parts = [self.building.name if self.building else "", self.floor, self.place]
        return " ".join(part for part in parts if part)

    def inspection_state(self, today: date) -> str:
        """``overdue``, ``due`` (within DUE_SOON_DAYS) or ``""`` for the legal inspection."""
        due = self.next_inspection_on
        if due is None or not self.is_active:
            return ""
        if due < today:
            return "overdue"
        if (due - today).days <= DUE_SOON_DAYS:
            return "due"
        return ""
