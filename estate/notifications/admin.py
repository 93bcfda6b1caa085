from django.contrib import admin

from estate.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "text", "read_at", "office"]
    list_filter = ["office", "kind"]
