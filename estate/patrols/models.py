"""Patrol routes (巡更路線): the ordered check points a guard walks, each proved by scanning its QR
code or NFC tag, where the phone allows with its location."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import Capability
from estate.properties.models import OfficeScoped


class PatrolRoute(OfficeScoped):
    """A patrol route (巡更路線): check points walked in order by a service unit."""

    read_capability = Capability.VIEW_ORDERS

    name = models.CharField(_("name"), max_length=100)
    service_unit = models.ForeignKey(
        "properties.ServiceUnit",
        on_delete=models.PROTECT,
        related_name="patrol_routes",
        verbose_name=_("service unit"),
    )
    minutes_between_points = models.PositiveSmallIntegerField(
        _("minutes allowed between points"), default=15
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("patrol route")
        verbose_name_plural = _("patrol routes")
        ordering = ["office_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="patrolroute_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class CheckPoint(OfficeScoped):
    """A check point of a route (巡更點): its place in the order, its QR code or NFC tag, and
    optionally where it is (latitude, longitude and a radius in metres)."""

    read_capability = Capability.VIEW_ORDERS

    route = models.ForeignKey(PatrolRoute, on_delete=models.CASCADE, related_name="points")
    position = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("QR code"), max_length=64, unique=True)
    nfc_tag = models.CharField(_("NFC tag id"), max_length=64, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    radius_m = models.PositiveIntegerField(_("radius (m)"), default=50)

    class Meta:
        verbose_name = _("check point")
        verbose_name_plural = _("check points")
        ordering = ["route_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "position"], name="checkpoint_unique_position"
            ),
            models.UniqueConstraint(
                fields=["office", "nfc_tag"],
                condition=~Q(nfc_tag=""),
                name="checkpoint_unique_nfc_tag",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route} {self.position}. {self.name}"
