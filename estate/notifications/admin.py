from django.contrib import admin

from estate.notifications.models import Delivery, Notification


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    readonly_fields = ("channel", "result", "address", "provider_id", "error", "attempted_at")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    inlines = [DeliveryInline]
    list_display = ["created_at", "recipient", "kind", "text", "read_at", "office"]
    list_filter = ["office", "kind"]
