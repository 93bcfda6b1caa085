"""Patrol routes (巡更路線): the ordered check points a guard walks, each proved by scanning its QR
code or NFC tag, where the phone allows with its location."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import Capability
from estate.patrols.choices import ScanMethod
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


class PointScan(OfficeScoped):
    """A scan of a check point on a patrol (巡更打卡): when, by whom, how, where the phone was,
    and what was wrong with it (out of order, outside the window, outside the radius)."""

    read_capability = Capability.VIEW_ORDERS

    task = models.ForeignKey(
        "planned.PlannedTask",
        on_delete=models.CASCADE,
        related_name="point_scans",
        verbose_name=_("patrol"),
    )
    point = models.ForeignKey(
        CheckPoint, on_delete=models.PROTECT, related_name="scans", verbose_name=_("check point")
    )
    scanned_at = models.DateTimeField(_("scanned at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("scanned by"),
    )
    method = models.CharField(_("by"), max_length=5, choices=ScanMethod.choices)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    accuracy_m = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    # Only when both the phone and the point gave a location.
    distance_m = models.PositiveIntegerField(_("distance (m)"), null=True, blank=True)
    out_of_order = models.BooleanField(_("out of order"), default=False)
    outside_window = models.BooleanField(_("outside the window"), default=False)
    outside_radius = models.BooleanField(_("outside the radius"), default=False)

    class Meta:
        verbose_name = _("point scan")
        verbose_name_plural = _("point scans")
        ordering = ["task_id", "scanned_at", "id"]
        constraints = [
            # Scanning the same point twice on one patrol records it once.
            models.UniqueConstraint(fields=["task", "point"], name="pointscan_once_per_patrol")
        ]

    def __str__(self) -> str:
        return f"{self.point} {self.scanned_at:%Y-%m-%d %H:%M}"

    @property
    def is_flagged(self) -> bool:
        return self.out_of_order or self.outside_window or self.outside_radius
