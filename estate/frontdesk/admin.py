"""Django admin: the service catalogue is configured here; contacts and calls are read-only records."""

from django.contrib import admin
from django.http import HttpRequest

from estate.frontdesk.models import CallRecord, Contact, Referral, ServiceItem


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "service_unit",
        "fee_kind",
        "default_priority",
        "is_active",
        "office",
    ]
    list_filter = ["office", "kind", "is_active"]
    search_fields = ["name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: looked at, never edited here (write through the desk)."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "channel", "kind", "outcome", "unit", "taken_by", "office"]
    list_filter = ["office", "channel", "outcome"]


@admin.register(CallRecord)
class CallRecordAdmin(ReadOnlyAdmin):
    list_display = ["rang_at", "call_id", "ring_seconds", "answered", "office"]
    list_filter = ["office", "answered"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["referred_at", "department", "referred_by", "confirmed_at", "office"]
    list_filter = ["office", "department"]
