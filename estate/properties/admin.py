"""Django admin for configuration (offices, sites, buildings, service units)."""

from django.contrib import admin
from django.http import HttpRequest

from estate.properties.models import (
    Building,
    Company,
    DataExport,
    Department,
    Household,
    Office,
    PhoneReveal,
    Resident,
    ServiceUnit,
    Site,
    Unit,
)


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "company", "timezone", "opens_at", "closes_at",
                    "bill_due_days"]  # fmt: skip
    search_fields = ["name", "code"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "office"]
    list_filter = ["office"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "site", "office"]
    list_filter = ["office"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["address", "floor", "area", "use", "office"]
    list_filter = ["office", "use"]
    search_fields = ["address"]
    raw_id_fields = ["building"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["unit", "kind", "move_in", "move_out", "office"]
    list_filter = ["office", "kind"]
    raw_id_fields = ["unit"]


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["name", "household", "department", "kind", "office"]
    list_filter = ["office", "kind"]
    search_fields = ["name"]
    raw_id_fields = ["household", "user"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "is_external", "phone", "location", "office"]
    list_filter = ["office", "is_external"]
    search_fields = ["name", "scope"]


@admin.register(ServiceUnit)
class ServiceUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "office", "phone", "location", "is_active"]
    list_filter = ["office", "kind"]
    search_fields = ["name"]
    filter_horizontal = ["duty_officers"]


class AuditAdmin(admin.ModelAdmin):
    """Audit rows are written by the app only: read, never added or changed by hand."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PhoneReveal)
class PhoneRevealAdmin(AuditAdmin):
    list_display = ["seen_at", "viewer", "resident", "channel", "work_order", "office"]
    list_filter = ["office", "channel"]


@admin.register(DataExport)
class DataExportAdmin(AuditAdmin):
    list_display = ["exported_at", "by", "what", "rows", "office"]
    list_filter = ["office", "what"]
