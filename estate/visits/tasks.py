"""Background work of return visits: sending questionnaire links by SMS (django.tasks; run by run_worker)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext

from estate.messaging.choices import Kind
from estate.messaging.sms import DeliveryFailed, compose, sms_gateway
from estate.visits.models import Invitation

log = logging.getLogger("estate.visits")


@task()
def send_invitation_sms(invitation_id: int) -> str:
    """Text the answer link to the department's or service unit's phone."""
    invitation = Invitation.objects.select_related(
        "questionnaire__office", "department", "service_unit"
    ).get(pk=invitation_id)
    round_ = invitation.questionnaire
    link = settings.SITE_URL.rstrip("/") + reverse("answer_questionnaire", args=[invitation.token])
    values = {
        "office": round_.office.name,
        "title": round_.title,
        "day": round_.closes_on.isoformat(),
        "link": link,
    }
    text = gettext("%(office)s asks your opinion: %(title)s, until %(day)s. %(link)s") % values
    try:
        return sms_gateway().send(
            compose(
                office_id=round_.office_id,
                kind=Kind.QUESTIONNAIRE,
                phone=invitation.addressee.phone,
                text=text,
                values=values,
                key=f"questionnaire-invitation-{invitation.pk}",
            )
        )
    except DeliveryFailed as failure:
        # Staff still see the link on the questionnaire page and can read it out by phone.
        log.warning("questionnaire SMS for invitation %s failed: %s", invitation_id, failure)
        return ""
