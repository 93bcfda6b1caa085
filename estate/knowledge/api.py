"""The knowledge base over the API: search and read (``?q=`` in either script, ``?category=``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.routers import DefaultRouter

from estate.accounts.roles import Capability
from estate.core.viewsets import ScopedReadOnlyViewSet
from estate.knowledge.models import Article, ArticleAttachment, Category
from estate.knowledge.search import search


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ArticleAttachment
        fields = ["id", "name", "size", "url"]

    def get_url(self, attachment: ArticleAttachment) -> str:
        return reverse("knowledge:attachment", args=[attachment.pk])


class ArticleSerializer(serializers.ModelSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = ["id", "office", "category", "title", "body", "is_public", "updated_at",
                  "attachments"]  # fmt: skip


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Words to find, in either script"),
            OpenApiParameter("category", str, enum=Category.values),
        ]
    )
)
class ArticleViewSet(ScopedReadOnlyViewSet):
    """Articles of the knowledge base the caller may read: their offices' and the company's."""

    capability = Capability.VIEW_REGISTRY

    serializer_class = ArticleSerializer
    pagination_class = PageNumberPagination  # ranked by relevance; a small table

    def get_queryset(self) -> QuerySet[Article]:
        articles = self.scoped(Article.objects).filter(is_active=True)
        category = self.request.query_params.get("category")
        if category:
            articles = articles.filter(category=category)
        return search(articles, self.request.query_params.get("q", "")).prefetch_related(
            "attachments"
        )


def register(router: DefaultRouter) -> None:
    router.register("articles", ArticleViewSet, basename="article")
