"""The resident's messages in the portal: every message the office sent them, by whatever
channel (the inbox's read receipt is the person opening it), and how they like to be told:
the channels they consent to, the language, the quiet hours."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from estate.messaging import actions
from estate.messaging.actions import consented_channels
from estate.messaging.choices import Channel, ConsentSource
from estate.messaging.models import Message, Preferences, WeChatBinding
from estate.portal.forms import PreferencesForm
from estate.portal.residents import resident_of


@login_required(login_url="portal:sign_in")
def inbox(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request)
    shown = list(Message.objects.filter(resident=resident).select_related("work_order")[:100])
    unread = [m.pk for m in shown if m.read_at is None]
    actions.mark_read(resident=resident, message_ids=unread)
    return render(
        request,
        "portal/messages.html",
        {"resident": resident, "shown": shown, "unread": set(unread)},
    )


@login_required(login_url="portal:sign_in")
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request)
    own = Preferences.objects.filter(resident=resident).first()
    granted = consented_channels(resident)
    initial = {
        "sms": Channel.SMS in granted,
        "wechat": Channel.WECHAT in granted,
        "email": Channel.EMAIL in granted,
        "language": own.language if own else "",
        "quiet_from": own.quiet_from if own else Preferences._meta.get_field("quiet_from").default,
        "quiet_until": own.quiet_until
        if own
        else Preferences._meta.get_field("quiet_until").default,
    }
    bound = WeChatBinding.objects.filter(resident=resident).exists()
    form = PreferencesForm(request.POST or None, initial=initial, resident=resident)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for channel in Channel.values:
            wanted = bool(data[channel])
            if wanted != (channel in granted):
                actions.record_consent(
                    resident=resident,
                    channel=channel,
                    granted=wanted,
                    source=ConsentSource.PORTAL,
                    by=request.user,
                )
        actions.set_preferences(
            resident=resident,
            language=data["language"],
            quiet_from=data["quiet_from"],
            quiet_until=data["quiet_until"],
        )
        messages.success(request, gettext("Saved: this is how we will tell you."))
        return redirect("portal:message_preferences")
    return render(
        request,
        "portal/message_preferences.html",
        {"resident": resident, "form": form, "wechat_bound": bound},
    )
