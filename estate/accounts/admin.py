from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from estate.accounts import tokens
from estate.accounts.models import ApiToken, StaffRole, User


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0
    autocomplete_fields = ["office", "service_unit"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [StaffRoleInline]
    list_display = ["username", "display_name", "is_active", "is_staff"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Estate"), {"fields": ("display_name", "phone")}),
    )
    actions = ["sign_out_everywhere"]

    @admin.action(description=_("Sign out everywhere (every session and API token ends)"))
    def sign_out_everywhere(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            tokens.sign_out_everywhere(user)
        messages.success(request, _("Signed out everywhere: %(count)d.") % {"count": len(queryset)})


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see every token by its first characters (never the key) and revoke it."""

    list_display = [
        "prefix",
        "name",
        "user",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "name", "user__username", "user__display_name"]
    readonly_fields = [field.name for field in ApiToken._meta.fields if field.name != "digest"]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a token is made by its owner, who alone sees its key

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            tokens.revoke(token, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Revoked: %(count)d.") % {"count": len(queryset)})
