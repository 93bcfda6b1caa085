"""Knowledge-base pages: search, read, write, attach files, and fetch an attachment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core import uploads
from estate.core.forms import add_errors
from estate.core.permissions import office_for, staff_view
from estate.knowledge import actions
from estate.knowledge.forms import ArticleForm, AttachmentForm, SearchForm
from estate.knowledge.models import Article, ArticleAttachment, public_articles
from estate.knowledge.search import search
from estate.portal.residents import resident_of


def may_write(user: Any, office_id: int | None) -> bool:
    """Those who manage an office write its articles; those who write the company's articles
    (leadership, administrators) also the company-wide ones."""
    scope = scope_for(user)
    if office_id is None:
        return scope.can(Capability.WRITE_COMPANY_ARTICLES)
    return scope.can(Capability.MANAGE_OFFICE, office_id) or scope.can(
        Capability.WRITE_COMPANY_ARTICLES, office_id
    )


@staff_view()
def article_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    articles = Article.objects.visible_to(request.user).filter(is_active=True)
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        if form.cleaned_data["category"]:
            articles = articles.filter(category=form.cleaned_data["category"])
    office = office_for(request, Capability.VIEW_REGISTRY)
    context = {
        "form": form,
        "articles": search(articles, query).select_related("office")[:100],
        "query": query,
        "office": office,
        "may_write": may_write(request.user, office.pk),
        "section": "knowledge",
    }
    return render(request, "knowledge/list.html", context)


@staff_view()
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.visible_to(request.user).select_related("office", "written_by"), pk=pk
    )
    context = {
        "article": article,
        "attachments": article.attachments.all(),
        "attachment_form": AttachmentForm(),
        "may_write": may_write(request.user, article.office_id),
        "section": "knowledge",
    }
    return render(request, "knowledge/detail.html", context)


@staff_view()
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    article = None
    office = office_for(request, Capability.VIEW_REGISTRY)
    if pk is not None:
        article = get_object_or_404(Article.objects.visible_to(request.user), pk=pk)
    office_id = article.office_id if article else office.pk
    if not may_write(request.user, office_id):
        raise Http404
    initial = (
        {
            "category": article.category,
            "title": article.title,
            "body": article.body,
            "is_public": article.is_public,
            "company_wide": article.office_id is None,
        }
        if article
        else {}
    )
    form = ArticleForm(
        request.POST or None,
        initial=initial,
        office=article.office if article else office,
        may_write_company_wide=may_write(request.user, None),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = None if data.get("company_wide") else (article.office if article else office)
        try:
            article = actions.save_article(
                article=article,
                office=target,
                by=request.user,
                category=data["category"],
                title=data["title"],
                body=data["body"],
                is_public=data["is_public"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("Article saved."))
            return redirect("knowledge:detail", article.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "article": article, "office": office, "section": "knowledge"}
    return render(request, "knowledge/edit.html", context, status=status)


@staff_view()
@require_POST
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.visible_to(request.user), pk=pk)
    if not may_write(request.user, article.office_id):
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.attach_file(article, upload=form.cleaned_data["file"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("File attached."))
    else:
        messages.error(request, gettext("Choose a file to attach."))
    return redirect("knowledge:detail", article.pk)


def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A file of an article, for a signed-in reader: staff who may read the article, and, when the
    article is public, a resident of an office it is given to. Anyone else: sign in, or 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = get_object_or_404(ArticleAttachment.objects.select_related("article"), pk=pk)
    article = found.article
    readable = Article.objects.visible_to(request.user).filter(pk=article.pk).exists()
    if not readable and article.is_public and article.is_active:
        resident = resident_of(request)  # 404 without one
        readable = public_articles(resident.office).filter(pk=article.pk).exists()
    if not readable:
        raise Http404
    return uploads.serve(found.file, content_type=found.content_type, display_name=found.name)
