"""Django admin for messages to requesters: the SMS template registry, checked with the
provider when a template is saved."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from estate.messaging.forms import SmsTemplateForm
from estate.messaging.models import SmsTemplate


@admin.register(SmsTemplate)
class SmsTemplateAdmin(admin.ModelAdmin):
    form = SmsTemplateForm
    list_display = ["office", "kind", "sign_name", "template_code", "parameters", "checked_at"]
    list_filter = ["office", "kind"]
    readonly_fields = ["checked_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = form.register(by=request.user)
        obj.pk, obj.checked_at = saved.pk, saved.checked_at
