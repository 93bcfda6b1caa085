"""Django admin: work orders are read-only here; every change goes through the actions (and the timeline)."""

from django.contrib import admin
from django.http import HttpRequest

from estate.frontdesk.admin import ReadOnlyAdmin
from estate.workorders.models import Material, WorkOrder, WorkOrderEvent


class EventInline(admin.TabularInline):
    model = WorkOrderEvent
    extra = 0
    can_delete = False
    readonly_fields = fields = (
        "at",
        "action",
        "actor",
        "channel",
        "from_status",
        "to_status",
        "note",
    )

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WorkOrder)
class WorkOrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "status", "kind", "service_unit", "assignee", "opened_at", "office"]
    list_filter = ["office", "status", "kind"]
    search_fields = ["number", "description"]
    inlines = [EventInline]


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    """The office's list of materials is configured here; what was used on an order is written
    from the order page (``workorders.materials``)."""

    list_display = ["name", "unit", "unit_price", "is_active", "office"]
    list_filter = ["office", "is_active"]
    search_fields = ["name"]
