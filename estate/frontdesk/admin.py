"""Django admin: the service catalogue is configured here; contacts and calls are read-only records."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from estate.frontdesk.models import CallRecord, CartItem, Contact, Loan, Referral, ServiceItem
from estate.language import guard
from estate.language.choices import Channel


class ServiceItemForm(forms.ModelForm):
    """The handout's texts reach requesters: the forbidden-phrase guard checks them."""

    by: Any = None

    class Meta:
        model = ServiceItem
        fields = [
            "office", "name", "kind", "service_unit", "procedure", "documents", "materials",
            "fee_kind", "price_list", "default_priority", "is_active", "articles",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        office = data.get("office")
        if office is not None and self.by is not None:
            guard.enforce(
                office=office,
                by=self.by,
                channel=Channel.HANDOUT,
                **{name: data.get(name) or "" for name in HANDOUT_FIELDS},
            )
        return data


HANDOUT_FIELDS = ("name", "procedure", "documents", "materials", "price_list")


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    form = ServiceItemForm

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        # A subclass per request, so the guard knows who wrote the handout.
        return type(form.__name__, (form,), {"by": request.user})

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


@admin.register(CartItem)
class CartItemAdmin(admin.ModelAdmin):
    list_display = ["name", "quantity", "deposit", "is_active", "office"]
    list_filter = ["office", "is_active"]


admin.site.register(Loan, ReadOnlyAdmin)
