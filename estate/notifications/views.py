from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from estate.core.permissions import staff_view
from estate.notifications.models import Notification


@staff_view()
def inbox(request: HttpRequest) -> HttpResponse:
    notes = Notification.objects.filter(recipient_id=request.user.pk)[:100]
    return render(request, "notifications/inbox.html", {"notes": notes, "section": "notifications"})


@staff_view()
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(recipient_id=request.user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("notifications:inbox")
