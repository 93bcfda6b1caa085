"""Django admin: each office's emergency call plans (which units a kind of emergency calls)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from estate.emergencies.models import CallPlan


class CallPlanForm(forms.ModelForm):
    class Meta:
        model = CallPlan
        fields = ["office", "category", "service_units"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        office = data.get("office")
        if office is not None and any(
            unit.office_id != office.pk for unit in data.get("service_units") or []
        ):
            self.add_error("service_units", _("A chosen service unit belongs to another office."))
        return data


@admin.register(CallPlan)
class CallPlanAdmin(admin.ModelAdmin):
    form = CallPlanForm
    list_display = ["office", "category"]
    list_filter = ["office", "category"]
    filter_horizontal = ["service_units"]
