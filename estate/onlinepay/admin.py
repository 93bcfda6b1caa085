"""Django admin: merchant accounts are configured here (key files by path); payments,
notifications and reconciliations are read-only records."""

from django.contrib import admin

from estate.frontdesk.admin import ReadOnlyAdmin
from estate.onlinepay.models import (
    MerchantAccount,
    NotificationReceived,
    OnlinePayment,
    ReconciliationRun,
)


@admin.register(MerchantAccount)
class MerchantAccountAdmin(admin.ModelAdmin):
    list_display = ["office", "provider", "app_id", "mch_id", "enabled"]
    list_filter = ["office", "provider", "enabled"]


admin.site.register(OnlinePayment, ReadOnlyAdmin)
admin.site.register(NotificationReceived, ReadOnlyAdmin)
admin.site.register(ReconciliationRun, ReadOnlyAdmin)
