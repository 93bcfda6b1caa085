"""Django admin: the office's time-rule policies and calendar corrections are configured here."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from estate.timerules.models import CalendarOverride, CalendarYear, ClockPolicy


@admin.register(ClockPolicy)
class ClockPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "rule",
        "target_kind",
        "amount",
        "warn_before_minutes",
        "kinds",
        "pauses_on_hold",
        "is_active",
        "office",
    ]
    list_filter = ["office", "rule", "is_active"]


class OverrideInline(admin.TabularInline):
    model = CalendarOverride
    extra = 1


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "office", "confirmed_by", "confirmed_at"]
    list_filter = ["office"]
    inlines = [OverrideInline]
    readonly_fields = ["confirmed_by", "confirmed_at"]
    actions = ["confirm"]

    @admin.action(
        description=_("Confirm the year (needed before the official calendar is published)")
    )
    def confirm(self, request: HttpRequest, queryset: QuerySet[CalendarYear]) -> None:
        queryset.filter(confirmed_at__isnull=True).update(
            confirmed_by=request.user, confirmed_at=timezone.now()
        )
