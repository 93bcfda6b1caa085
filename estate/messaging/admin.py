"""Django admin for messages to requesters: the SMS template registry, checked with the
provider when a template is saved, and the office's WeChat service account."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from estate.messaging.forms import SmsTemplateForm
from estate.messaging.models import SmsTemplate, WeChatAccount


@admin.register(SmsTemplate)
class SmsTemplateAdmin(admin.ModelAdmin):
    form = SmsTemplateForm
    list_display = ["office", "kind", "sign_name", "template_code", "parameters", "checked_at"]
    list_filter = ["office", "kind"]
    readonly_fields = ["checked_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = form.register(by=request.user)
        obj.pk, obj.checked_at = saved.pk, saved.checked_at


class WeChatAccountForm(forms.ModelForm):
    """The secret is written, never shown again: left empty, the stored one stays."""

    app_secret = forms.CharField(
        label=_("app secret"), required=False, widget=forms.PasswordInput(render_value=False)
    )

    class Meta:
        model = WeChatAccount
        fields = ["office", "app_id", "app_secret", "token", "template_ids"]

    def clean_app_secret(self) -> str:
        given = self.cleaned_data.get("app_secret", "")
        if given:
            return str(given)
        if self.instance.pk and self.instance.app_secret:
            return self.instance.app_secret
        raise forms.ValidationError(_("This field is required."))


@admin.register(WeChatAccount)
class WeChatAccountAdmin(admin.ModelAdmin):
    """The office's service account: app id, secret, callback token, template id per kind."""

    form = WeChatAccountForm
    list_display = ["office", "app_id"]
    list_filter = ["office"]
