from django.contrib import admin

from estate.knowledge.models import Article, ArticleAttachment


class AttachmentInline(admin.TabularInline):
    model = ArticleAttachment
    extra = 0
    readonly_fields = ["name", "size", "uploaded_at"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "office", "is_public", "is_active", "updated_at"]
    list_filter = ["office", "category", "is_public", "is_active"]
    search_fields = ["title", "body"]
    inlines = [AttachmentInline]
