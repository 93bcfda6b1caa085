"""The property registry: company, offices, sites, buildings, units, households, residents and service units.

Every office-scoped row carries its ``office`` directly, so that access checks are
one indexed filter (``visible_to``) whatever the depth of the record.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estate.core.natural import SORT_KEY_LENGTH, natural_key
from estate.core.phones import mask_phone
from estate.core.querysets import OfficeScopedQuerySet
from estate.properties.choices import (
    ContactPreference,
    HouseholdKind,
    OfficeKind,
    RequesterKind,
    ServiceUnitKind,
    SiteKind,
    UnitUse,
)

if TYPE_CHECKING:
    from typing import Any

phone_validator = RegexValidator(r"^\+?[0-9]{5,20}$", _("Enter a phone number of 5 to 20 digits."))
code_validator = RegexValidator(
    r"^[A-Za-z0-9]+$", _("Use letters and digits only, without spaces or dashes.")
)


def validate_timezone(value: str) -> None:
    try:
        ZoneInfo(value)
    except Exception:
        raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": value}) from None


class Company(models.Model):
    """The property-management company (物業公司) that runs the offices."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return self.name


class OfficeQuerySet(models.QuerySet):
    def visible_to(self, user: Any, capability: Any = None) -> OfficeQuerySet:
        """The offices where ``user`` holds ``capability`` (any role at all when not named)."""
        from estate.accounts.access import scope_for

        scope = scope_for(user)
        return self.filter(
            id__in=scope.office_ids if capability is None else scope.office_ids_with(capability)
        )


class Office(models.Model):
    """A management office (管理處) or campus customer-service centre (後勤客服中心)."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="offices")
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        validators=[code_validator],
        help_text=_("Short prefix used in numbers, e.g. BSW."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OfficeKind.choices)
    timezone = models.CharField(
        _("time zone"), max_length=50, default="Asia/Shanghai", validators=[validate_timezone]
    )
    opens_at = models.TimeField(_("opens at"), default=time(8, 30))
    closes_at = models.TimeField(_("closes at"), default=time(17, 30))
    calendar = models.CharField(
        _("work calendar"),
        max_length=10,
        default="CN",
        choices=[("CN", _("Mainland China official calendar"))],
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    bill_due_days = models.PositiveSmallIntegerField(
        _("days to pay a bill"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "A statement is due this many days after the day it is issued (the office's date)."
        ),
    )

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["company_id", "name"]
        constraints = [
            models.CheckConstraint(
                name="office_opens_before_closing", condition=Q(opens_at__lt=models.F("closes_at"))
            )
        ]

    def __str__(self) -> str:
        return self.name


class OfficeScoped(models.Model):
    """Abstract base: a row that belongs to one office."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, verbose_name=_("office"))

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class Site(OfficeScoped):
    """A residential community (小區) or campus (校區) served by an office."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["office_id", "name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="site_unique_name")]

    def __str__(self) -> str:
        return self.name


class NaturalOrderQuerySet(OfficeScopedQuerySet):
    """Rows kept in natural order by a stored ``sort_key``; ``bulk_create`` (which skips
    ``save()``) fills the key too."""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        objs = list(objs)
        for obj in objs:
            obj.fill_sort_key()
        return super().bulk_create(objs, *args, **kwargs)


def sort_key_field() -> models.CharField:
    return models.CharField(
        _("sort key"), max_length=SORT_KEY_LENGTH, editable=False, default="", blank=True
    )


class Building(OfficeScoped):
    """A building (棟/樓) on a site; its code starts every unit address (3 in 3-1202)."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("site")
    )
    code = models.CharField(_("building code"), max_length=10, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    # The code in natural order (2 before 10, A3 before A10): estate.core.natural.
    sort_key = sort_key_field()

    objects = NaturalOrderQuerySet.as_manager()  # type: ignore[misc]  # as Household's

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["office_id", "sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="building_unique_code")
        ]
        indexes = [models.Index(fields=["office", "sort_key"], name="building_natural_order")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_sort_key()
        _with_sort_key(kwargs, "code")
        super().save(*args, **kwargs)

    def fill_sort_key(self) -> None:
        self.sort_key = natural_key(self.code)


def _with_sort_key(kwargs: dict[str, Any], *sources: str) -> None:
    """A save of only some fields that include what the key is made of saves the key too."""
    fields = kwargs.get("update_fields")
    if fields is not None and set(fields) & set(sources):
        kwargs["update_fields"] = {*fields, "sort_key"}


def unit_address(building_code: str, number: str) -> str:
    return f"{building_code}-{number}"


class Unit(OfficeScoped):
    """A unit (單元/房間): flat, shop, office, dormitory room or common area, addressed like 3-1202."""

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="units", verbose_name=_("building")
    )
    number = models.CharField(_("number"), max_length=20, validators=[code_validator])
    address = models.CharField(_("unit address"), max_length=32, editable=False, db_index=True)
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    area = models.DecimalField(
        _("floor area (m²)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    use = models.CharField(
        _("use"), max_length=20, choices=UnitUse.choices, default=UnitUse.RESIDENCE
    )
    # The address in natural order (3-902 before 3-1202, 2-101 before 10-101).
    sort_key = sort_key_field()

    objects = NaturalOrderQuerySet.as_manager()  # type: ignore[misc]  # as Household's

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["office_id", "sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "address"], name="unit_unique_address")
        ]
        indexes = [models.Index(fields=["office", "sort_key"], name="unit_natural_order")]

    def __str__(self) -> str:
        return self.address

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_sort_key()
        _with_sort_key(kwargs, "number", "building", "address")
        super().save(*args, **kwargs)

    def fill_sort_key(self) -> None:
        """The address (derived, never typed twice: building code + number) and its key."""
        self.address = unit_address(self.building.code, self.number)
        self.sort_key = natural_key(self.address)

    def main_contact(self) -> Resident | None:
        """The current household's main contact: who a call "from 3-1202" is taken to be from."""
        return (
            Resident.objects.filter(household__in=Household.objects.current().filter(unit=self))
            .order_by("-is_primary", "name", "id")
            .first()
        )


class HouseholdQuerySet(OfficeScopedQuerySet):
    def current(self, on: date | None = None) -> HouseholdQuerySet:
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(Q(move_in__lte=day) | Q(move_in__isnull=True)).filter(
            Q(move_out__isnull=True) | Q(move_out__gt=day)
        )


class Household(OfficeScoped):
    """A household (住戶) occupying a unit, as owner or tenant, between move-in and move-out."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="households", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=HouseholdKind.choices)
    move_in = models.DateField(_("move-in date"), null=True, blank=True)
    move_out = models.DateField(_("move-out date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = HouseholdQuerySet.as_manager()  # type: ignore[misc]  # narrower queryset than OfficeScoped

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["office_id", "unit_id", "move_in"]
        constraints = [
            models.CheckConstraint(
                name="household_moves_out_after_moving_in",
                condition=Q(move_out__isnull=True)
                | Q(move_in__isnull=True)
                | Q(move_out__gte=models.F("move_in")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()}"

    def clean(self) -> None:
        if self.move_in and self.move_out and self.move_out < self.move_in:
            raise ValidationError(
                {"move_out": _("The move-out date cannot be before the move-in date.")}
            )


class Department(OfficeScoped):
    """A department (部門): a campus 院系/處室 whose people make requests, or any body matters are referred to (首問責任制)."""

    name = models.CharField(_("name"), max_length=100)
    scope = models.TextField(_("scope of responsibility"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    location = models.CharField(_("location"), max_length=100, blank=True)
    is_external = models.BooleanField(
        _("outside the office"),
        default=False,
        help_text=_(
            "E.g. the residents' committee or the power company; its people are not requesters."
        ),
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["office_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="department_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Resident(OfficeScoped):
    """A person the office serves (業主/住戶, campus 師生員工), in a household or a department."""

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("household"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("department"),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=RequesterKind.choices, default=RequesterKind.RESIDENT
    )
    name = models.CharField(_("full name"), max_length=60)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, validators=[phone_validator], db_index=True
    )
    phone_alt = models.CharField(
        _("other phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    email = models.EmailField(_("email"), blank=True)
    preferred_contact = models.CharField(
        _("preferred contact"),
        max_length=10,
        choices=ContactPreference.choices,
        default=ContactPreference.CALL,
    )
    is_primary = models.BooleanField(_("main contact"), default=False)
    is_elderly = models.BooleanField(_("elderly"), default=False)
    is_disabled = models.BooleanField(_("disabled"), default=False)
    assistance_note = models.CharField(_("assistance note"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident",
        verbose_name=_("portal login"),
    )

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["office_id", "household_id", "-is_primary", "name"]
        constraints = [
            models.CheckConstraint(
                name="resident_in_household_or_department",
                condition=Q(household__isnull=False) | Q(department__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def needs_assistance(self) -> bool:
        return self.is_elderly or self.is_disabled


class ServiceUnit(OfficeScoped):
    """A service unit (服務單位: 維修班, 清潔班, 保安部, 禮賓, campus units) and what it is responsible for."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceUnitKind.choices)
    scope = models.TextField(
        _("scope of responsibility"),
        help_text=_("What this unit handles, in words; used to refer requests to the right unit."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    location = models.CharField(_("location"), max_length=100, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_service_units",
        verbose_name=_("team lead"),
    )
    duty_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="duty_service_units",
        verbose_name=_("duty officers"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service unit")
        verbose_name_plural = _("service units")
        ordering = ["office_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="serviceunit_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class PhoneReveal(OfficeScoped):
    """Audit row: a staff member saw a resident's full phone number (查看完整電話)."""

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="phone_reveals"
    )
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="phone_reveals")
    seen_at = models.DateTimeField(_("seen at"), auto_now_add=True, db_index=True)
    channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=[("ui", "UI"), ("api", "API"), ("search", _("Search by number"))],
    )
    work_order = models.ForeignKey(
        "workorders.WorkOrder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for the order"),
        help_text=_("The open order whose requester the viewer handles, when that was the reason."),
    )

    class Meta:
        verbose_name = _("phone number view")
        verbose_name_plural = _("phone number views")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.viewer} → {self.resident} @ {self.seen_at:%Y-%m-%d %H:%M}"


class DataExport(OfficeScoped):
    """Audit row: someone downloaded a file with personal data (個人資料匯出記錄): who, what, when."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    what = models.CharField(_("what"), max_length=80)
    rows = models.PositiveIntegerField(_("rows"))
    exported_at = models.DateTimeField(_("exported at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        ordering = ["-exported_at"]

    def __str__(self) -> str:
        return f"{self.by} {self.what} ({self.rows}) @ {self.exported_at:%Y-%m-%d %H:%M}"
