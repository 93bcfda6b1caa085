"""Django admin: administrators keep the company's standard lists (rows without an office)."""

from django.contrib import admin

from estate.frontdesk.admin import ReadOnlyAdmin
from estate.language.models import ForbiddenPhrase, GuardPolicy, Phrase, PhraseHit


@admin.register(Phrase)
class PhraseAdmin(admin.ModelAdmin):
    list_display = ["text", "situation", "office", "position", "is_active"]
    list_filter = ["situation", "office", "is_active"]
    search_fields = ["text"]


@admin.register(ForbiddenPhrase)
class ForbiddenPhraseAdmin(admin.ModelAdmin):
    list_display = ["text", "source", "situation", "office", "is_active", "updated_at"]
    list_filter = ["office", "is_active"]
    search_fields = ["text", "source"]


@admin.register(GuardPolicy)
class GuardPolicyAdmin(admin.ModelAdmin):
    list_display = ["office", "mode"]


@admin.register(PhraseHit)
class PhraseHitAdmin(ReadOnlyAdmin):
    list_display = ["at", "staff_member", "matched", "channel", "blocked", "office"]
    list_filter = ["office", "channel", "blocked"]
