"""The only code that writes community activities."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from estate.community.models import Activity, Need, SignUp, Vote
from estate.core.periods import Quarter
from estate.language import guard
from estate.language.choices import Channel
from estate.properties.models import Office, Resident


def propose(*, resident: Resident, text: str) -> Need:
    if not text.strip():
        raise ValidationError({"text": _("Write the need.")})
    need = Need.objects.create(
        office_id=resident.office_id, text=text.strip()[:200], proposed_by=resident
    )
    vote(need, resident=resident)
    return need


def vote(need: Need, *, resident: Resident) -> bool:
    """One vote a resident; a second is ignored (False)."""
    if need.office_id != resident.office_id:
        raise ValidationError(_("This need belongs to another office."))
    try:
        with transaction.atomic():
            Vote.objects.create(need=need, resident=resident)
    except IntegrityError:
        return False
    return True


def ranked_needs(office: Office) -> QuerySet[Need]:
    return Need.objects.filter(office=office).annotate(n=Count("votes")).order_by("-n", "-id")


def plan(
    *, office: Office, by: Any, title: str, held_on: date, place: str, need: Need | None = None
) -> Activity:
    errors = {}
    if not title.strip():
        errors["title"] = _("This field is required.")
    if not place.strip():
        errors["place"] = _("This field is required.")
    if need is not None and need.office_id != office.pk:
        errors["need"] = _("This need belongs to another office.")
    if errors:
        raise ValidationError(errors)
    guard.enforce(office=office, by=by, channel=Channel.NOTICE, title=title)
    return Activity.objects.create(
        office=office, quarter=str(Quarter.of(held_on)), title=title.strip(), need=need,
        held_on=held_on, place=place.strip(), planned_by=by,
    )  # fmt: skip


def sign_up(activity: Activity, *, resident: Resident) -> SignUp:
    if activity.office_id != resident.office_id:
        raise ValidationError(_("This activity belongs to another office."))
    if activity.status != Activity.Status.PLANNED:
        raise ValidationError(_("This activity has taken place already."))
    sign, _created = SignUp.objects.get_or_create(activity=activity, resident=resident)
    return sign


def record(activity: Activity, *, text: str, took_part: list[int]) -> Activity:
    """Record what was done and who of those signed up took part; the quarter's activity is done."""
    if not text.strip():
        raise ValidationError({"record": _("Write what was done.")})
    with transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(
            status=Activity.Status.DONE, record=text.strip()
        )
        activity.sign_ups.update(took_part=False)
        activity.sign_ups.filter(resident_id__in=took_part).update(took_part=True)
    activity.refresh_from_db()
    return activity


def quarter_status(quarter: Quarter, offices: QuerySet[Office]) -> list[tuple[Office, bool]]:
    """Each office with whether its activity of the quarter was held (done) or is missing."""
    done = set(
        Activity.objects.filter(quarter=str(quarter), status=Activity.Status.DONE).values_list(
            "office_id", flat=True
        )
    )
    return [(office, office.pk in done) for office in offices.order_by("name")]
