"""Django admin: work orders are read-only here; every change goes through the actions (and the timeline)."""

from django.contrib import admin
from django.http import HttpRequest

from estate.frontdesk.admin import ReadOnlyAdmin
from estate.workorders.models import WorkOrder, WorkOrderEvent


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
