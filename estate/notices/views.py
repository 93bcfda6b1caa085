"""Notice pages for staff: list, write, publish, print."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from estate.accounts.roles import Capability
from estate.core.forms import add_errors
from estate.core.permissions import office_for, staff_view
from estate.notices import actions
from estate.notices.forms import NoticeForm
from estate.notices.models import Notice
from estate.notices.printing import notice_pdf


@staff_view()
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = Notice.objects.visible_to(request.user).select_related("office", "published_by")[:200]
    return render(
        request,
        "notices/list.html",
        {"notices": notices, "today": timezone.localdate(), "section": "notices"},
    )


def _save(request: HttpRequest, notice: Notice | None) -> HttpResponse:
    office = notice.office if notice else office_for(request, Capability.RUN_DESK)
    initial = (
        {
            "title": notice.title,
            "body": notice.body,
            "starts_on": notice.starts_on,
            "ends_on": notice.ends_on,
        }
        if notice
        else {"starts_on": timezone.localdate()}
    )
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if notice is None:
                notice = actions.write_notice(office=office, by=request.user, **data)
            else:
                actions.revise_notice(notice, by=request.user, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("Notice saved."))
            return redirect("notices:list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "notices/edit.html",
        {"form": form, "notice": notice, "office": office, "section": "notices"},
        status=status,
    )


@staff_view(Capability.RUN_DESK)
def new(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@staff_view(Capability.RUN_DESK)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save(
        request,
        get_object_or_404(Notice.objects.visible_to(request.user).select_related("office"), pk=pk),
    )


@staff_view(Capability.RUN_DESK)
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    try:
        actions.publish(notice, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Notice published."))
    return redirect("notices:list")


@staff_view()
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(
        Notice.objects.visible_to(request.user).select_related("office"), pk=pk
    )
    response = HttpResponse(notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
    return response
