"""Django admin: fee items, rates and meters are configured here; money rows are read-only records."""

from django.contrib import admin

from estate.billing.models import (
    Apportionment,
    BillRun,
    Deposit,
    DepositRefund,
    Developer,
    FeeItem,
    FeeRate,
    LateFeeRule,
    Meter,
    MeterReading,
    Payment,
    Reversal,
    Statement,
    VacancyApplication,
)
from estate.frontdesk.admin import ReadOnlyAdmin


class FeeRateInline(admin.TabularInline):
    model = FeeRate
    extra = 1
    fields = ["unit_use", "amount", "effective_from", "office"]


@admin.register(FeeItem)
class FeeItemAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "basis", "is_active", "office"]
    list_filter = ["office", "kind", "is_active"]
    inlines = [FeeRateInline]


@admin.register(Meter)
class MeterAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "fee_item",
        "parent",
        "unit",
        "split_method",
        "vacant_units_share",
        "office",
    ]
    list_filter = ["office", "split_method"]
    search_fields = ["name"]
    raw_id_fields = ["parent", "unit"]
    filter_horizontal = ["serves"]


@admin.register(MeterReading)
class MeterReadingAdmin(ReadOnlyAdmin):
    list_display = ["meter", "quarter", "previous", "current", "shared_usage", "read_on"]
    list_filter = ["office", "quarter"]


for model in (BillRun, Statement, Payment, Reversal, Apportionment):
    admin.site.register(model, ReadOnlyAdmin)


# Rules are changed on the fee pages (through their actions, which check the contract clause
# and who may decide); here they are records to read.
admin.site.register(
    [LateFeeRule, Developer, VacancyApplication, Deposit, DepositRefund], ReadOnlyAdmin
)
